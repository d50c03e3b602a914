import type { IncomingMessage, ServerResponse } from "node:http";
export declare function platformHandler(seen?: string[]): (req: IncomingMessage, res: ServerResponse) => void;
export declare function startPlatformStandin(port?: number, host?: string, seen?: string[]): Promise<{ url: string; seen: string[]; stop(): Promise<void> }>;
