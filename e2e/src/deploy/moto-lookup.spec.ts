// How the deploy suites find moto_server: the same lookup tools/test.sh (and so .ci/run) relies on, with the
// machine's environment rather than an interactive shell's PATH; and the one loud line when it is missing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMotoPython, MOTO_HINT } from '../support/moto';

describe('moto_server lookup', () => {
  it('finds a python with moto, ECS and bedrock-agentcore-control without pyenv on PATH', () => {
    const found = findMotoPython({ ...process.env, PATH: '/usr/bin:/bin' });
    expect(found.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('fails in one line naming what was tried and what to install when there is none', () => {
    const emptyPyenv = mkdtempSync(join(tmpdir(), 'no-pyenv-'));
    try {
      const lookup = () => findMotoPython({ PATH: '/nonexistent', PYENV_ROOT: emptyPyenv, MOTO_PYTHON: '/nonexistent/python' });
      expect(lookup).toThrow(
        `moto_server with ECS and bedrock-agentcore-control was not found (tried /nonexistent/python, python3.11, python3): ${MOTO_HINT}.`,
      );
    } finally {
      rmSync(emptyPyenv, { recursive: true, force: true });
    }
  });
});
