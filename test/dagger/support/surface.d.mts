export declare const ROOT: string
export declare const MODULE_SRC: string
export declare const MODULE_NAME: string
export declare function moduleFiles(dir?: string): string[]
export declare function scanModule(files?: string[], name?: string): Promise<unknown>
export declare function kebab(name: string): string
export declare function loadSurface(): Promise<unknown>
export declare function renderFunctions(surface: unknown): string
