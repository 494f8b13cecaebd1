// Which `beldi` command starts the language server: the `beldi.server.path` setting, else the
// workspace's own install (node_modules/.bin/beldi), else `beldi` on the PATH. Pure apart from
// the `exists` it is given, so it is tested without VS Code.
import path from "node:path";

/** How the server command was found; said in the output channel and in the error when it is missing. */
export type ServerCommand =
  | { kind: "setting"; command: string }
  | { kind: "workspace"; command: string; folder: string }
  | { kind: "path"; command: string }
  | { kind: "missing"; tried: string[] };

export interface ServerCommandInput {
  /** `beldi.server.path` (empty: not set) */
  setting: string;
  /** the workspace folders' paths on disk, in order */
  folders: readonly string[];
  /** the PATH environment variable */
  envPath: string;
  platform: NodeJS.Platform;
  /** whether a file exists at an absolute path (an executable one, where that can be told) */
  exists: (file: string) => boolean;
}

/** The names a command may have on disk: Windows puts `.cmd` shims in node_modules/.bin and on the PATH. */
function candidates(base: string, platform: NodeJS.Platform): string[] {
  return platform === "win32" ? [`${base}.cmd`, `${base}.exe`, base] : [base];
}

export function findServerCommand(input: ServerCommandInput): ServerCommand {
  const p = input.platform === "win32" ? path.win32 : path.posix;
  const setting = input.setting.trim();
  if (setting) {
    // a bare name is looked up on the PATH by the OS; a relative path is the first folder's
    if (!setting.includes("/") && !setting.includes("\\")) return { kind: "setting", command: setting };
    const first = input.folders[0];
    const command = p.isAbsolute(setting) || first === undefined ? setting : p.resolve(first, setting);
    return { kind: "setting", command };
  }
  const tried: string[] = [];
  for (const folder of input.folders) {
    for (const file of candidates(p.join(folder, "node_modules", ".bin", "beldi"), input.platform)) {
      tried.push(file);
      if (input.exists(file)) return { kind: "workspace", command: file, folder };
    }
  }
  const dirs = input.envPath.split(input.platform === "win32" ? ";" : ":").filter((d) => d !== "");
  for (const dir of dirs) {
    for (const file of candidates(p.join(dir, "beldi"), input.platform)) {
      if (input.exists(file)) return { kind: "path", command: file };
    }
  }
  tried.push("beldi on the PATH");
  return { kind: "missing", tried };
}

/** The arguments after the command: `lsp --stdio`, then the user's extra ones. */
export function serverArgs(extra: readonly string[]): string[] {
  return ["lsp", "--stdio", ...extra];
}

/** Windows runs `.cmd`/`.bat` shims only through a shell (Node refuses to spawn them directly). */
export function needsShell(command: string, platform: NodeJS.Platform): boolean {
  return platform === "win32" && /\.(cmd|bat)$/i.test(command);
}
