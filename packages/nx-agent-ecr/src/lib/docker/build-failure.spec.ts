// The failure summary finds the failing step, its exit code, and maps "exec format error" to the emulation fix.
import { summarizeBuildFailure } from './build-failure';

const failedRun = `#4 [1/3] FROM 127.0.0.1:5000/base/busybox:arm64
#4 DONE 0.0s

#5 [2/3] RUN echo hello
#5 0.188 hello
#5 DONE 0.2s

#6 [3/3] RUN echo failing && exit 7
#6 0.335 failing
#6 ERROR: executor failed running [/bin/sh -c echo failing && exit 7]: exit code: 7
------
 > [3/3] RUN echo failing && exit 7:
------
ERROR: failed to solve: executor failed running [/bin/sh -c echo failing && exit 7]: exit code: 7`;

describe('summarizeBuildFailure', () => {
  it('names the failing step, its ERROR lines and the RUN exit code', () => {
    expect(summarizeBuildFailure(failedRun)).toEqual({
      step: '#6 [3/3] RUN echo failing && exit 7',
      errors: ['ERROR: failed to solve: executor failed running [/bin/sh -c echo failing && exit 7]: exit code: 7'],
      stepExitCode: 7,
      hint: undefined,
    });
  });

  it('maps "exec format error" to the arm64 emulation fix naming the toolchain script and tonistiigi/binfmt', () => {
    const output =
      `#5 [2/2] RUN uname -m\n#5 0.1 exec /bin/sh: exec format error\n#5 ERROR: process "/bin/sh ` +
      `-c uname -m" did not complete successfully: exit code: 1\nERROR: failed to solve`;
    const failure = summarizeBuildFailure(output);
    expect(failure.step).toBe('#5 [2/2] RUN uname -m');
    expect(failure.hint).toMatch(/tools\/toolchain\/setup\.sh/);
    expect(failure.hint).toMatch(/docker run --privileged --rm tonistiigi\/binfmt --install arm64/);
  });

  it('returns no step and no hint for output without BuildKit steps', () => {
    expect(summarizeBuildFailure('ERROR: no builder "x" found')).toEqual({
      step: undefined,
      errors: ['ERROR: no builder "x" found'],
      stepExitCode: undefined,
      hint: undefined,
    });
  });
});
