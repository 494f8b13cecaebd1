// Progress of a long step (building an app) on stderr. On a terminal: one line rewritten in place
// with the time so far, cleared when the step ends or anything else is written. Otherwise (a
// pipe, a log, a test's captured output): the line once when the step starts, if asked.
import { type Io, processIo } from "../compiler/cli-io.js";

export interface Progress {
  /** Where to write while the step runs: on a terminal, each write clears the progress line first. */
  io: Io;
  /** Ends the step (its line is cleared). */
  done(): void;
}

/** Whether progress may be drawn in place: the process's own stderr, and a terminal. */
export function onTerminal(io: Io): boolean {
  return io === processIo && process.stderr.isTTY === true;
}

/**
 * Starts showing `what` (e.g. "building examples/hello"). `plain`: also say it when stderr is no
 * terminal (one line, not redrawn).
 */
export function progress(io: Io, what: string, { plain = false } = {}): Progress {
  if (!onTerminal(io)) {
    if (plain) io.err(what);
    return { io, done() {} };
  }
  const start = Date.now();
  let shown = false;
  const draw = () => {
    process.stderr.write(`\r\x1b[K${what}… ${((Date.now() - start) / 1000).toFixed(1)} s`);
    shown = true;
  };
  const clear = () => {
    if (shown) process.stderr.write("\r\x1b[K");
    shown = false;
  };
  draw();
  // a synchronous phase (checking, generating) holds the ticks back; the line catches up after it
  const ticker = setInterval(draw, 200);
  ticker.unref();
  return {
    io: {
      out(t) {
        clear();
        io.out(t);
      },
      err(t) {
        clear();
        io.err(t);
      },
    },
    done() {
      clearInterval(ticker);
      clear();
    },
  };
}
