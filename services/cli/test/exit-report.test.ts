import { expect, it } from 'vitest';
import { ConfigError, ConnectionError, PermanentError } from '@newsflow/core';
import { EXIT, exitReport } from '../src/cli.ts';

it('says a connection lost after the first check is one, with exit code 3, and leaves other messages as they are', () => {
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  const lost = exitReport(reset);
  expect(lost.code).toBe(EXIT.connection);
  expect(lost.message).toMatch(/^cannot reach Redis or the database: read ECONNRESET \(lost after the first check/);
  // pg's own message for a connection cut mid-query carries no code.
  expect(exitReport(new Error('Connection terminated unexpectedly')).message).toMatch(/^cannot reach Redis or the/);

  const refused = new ConnectionError(
    'cannot reach Redis at redis://127.0.0.1:1: connect ECONNREFUSED; start Redis',
    'redis://127.0.0.1:1',
  );
  expect(exitReport(refused)).toEqual({ code: EXIT.connection, message: refused.message });
  expect(exitReport(new ConfigError('feeds[2].url: not a URL'))).toEqual({
    code: EXIT.config,
    message: 'feeds[2].url: not a URL',
  });
  expect(exitReport(new PermanentError('not a feed', 'not_feed'))).toEqual({
    code: EXIT.failure,
    message: 'not a feed',
  });
});
