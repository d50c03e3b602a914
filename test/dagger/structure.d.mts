export declare const MAX_PARAMS: number
export declare function lintStructure(dir: string): string[]
