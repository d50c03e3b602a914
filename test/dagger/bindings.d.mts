export declare const BINDINGS_PATH: string
export declare function renderBindings(): Promise<string>
