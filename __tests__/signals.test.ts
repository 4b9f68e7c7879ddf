/** The entries' signal handling, against a stand-in process (no real signal is sent). */
import { describe, expect, it, jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { cancelOnSignals } from '../src/signals.js';
import { UserError } from '../src/model/errors.js';

function fakeProcess(): NodeJS.Process & { exits: number[] } {
  const proc = new EventEmitter() as unknown as NodeJS.Process & { exits: number[] };
  proc.exits = [];
  proc.exit = ((code?: number) => void proc.exits.push(code ?? 0)) as never;
  return proc;
}

describe('cancelOnSignals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('aborts the run on %s, naming it; a second signal ends the process', (name) => {
    jest.useFakeTimers();
    try {
      const proc = fakeProcess();
      const signal = cancelOnSignals(proc, 5_000);
      expect(signal.aborted).toBe(false);
      proc.emit(name);
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toBeInstanceOf(UserError);
      expect((signal.reason as Error).message).toContain(`Cancelled by ${name}`);
      expect(proc.exits).toEqual([]);
      proc.emit(name);
      expect(proc.exits).toEqual([1]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('ends the process when the run has not wound down within the grace period', () => {
    jest.useFakeTimers();
    try {
      const proc = fakeProcess();
      cancelOnSignals(proc, 5_000);
      proc.emit('SIGTERM');
      jest.advanceTimersByTime(4_999);
      expect(proc.exits).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(proc.exits).toEqual([1]);
    } finally {
      jest.useRealTimers();
    }
  });
});
