/**
 * Whether the SUSHI speed-ups (speedups.ts) may run: they reach into fsh-sushi's classes, so they
 * run only on a version they were verified on (the corpus compiled with and without them,
 * byte-identical: test/corpus/speedups.test.ts), and not when `VM_IG_SUSHI_SPEEDUPS=0` turns
 * them off. On any other version the compile runs plain SUSHI and says so once, in a Diagnostic.
 * Pure: no fsh-sushi here, so the decision is tested with any version string.
 */
import type { Diagnostic } from '../../../model/diagnostics.ts';

/** The fsh-sushi versions the speed-ups were verified on, byte for byte, on the whole corpus. */
export const VERIFIED_SUSHI_VERSIONS: readonly string[] = ['3.21.0'];

/** The rule id of the notice a compile carries when the speed-ups are off for an unverified version. */
export const SPEEDUPS_OFF_RULE = 'sushi-speedups-off';

/** The environment switch: `0`, `false`, `off` or `no` runs plain SUSHI. */
export const SPEEDUPS_SWITCH = 'VM_IG_SUSHI_SPEEDUPS';

export interface SpeedupsDecision {
  on: boolean;
  /** Why they are off, for the compile's diagnostics (only when the installed version is not a verified one). */
  notice?: Diagnostic;
}

/** Whether the speed-ups run with fsh-sushi `installed` and the switch's value (`process.env[SPEEDUPS_SWITCH]`). */
export function decideSpeedups(
  installed: string | undefined,
  switchValue: string | undefined,
  verified: readonly string[] = VERIFIED_SUSHI_VERSIONS
): SpeedupsDecision {
  if (switchValue !== undefined && /^(0|false|off|no)$/i.test(switchValue.trim())) return { on: false };
  if (installed !== undefined && verified.includes(installed)) return { on: true };
  return {
    on: false,
    notice: {
      severity: 'information',
      rule: SPEEDUPS_OFF_RULE,
      message:
        `fsh-sushi ${installed ?? '(version unknown)'} is installed; the compile's speed-ups were verified on fsh-sushi ${verified.join(', ')} only, ` +
        'so this compile runs plain SUSHI (the same output, more slowly)'
    }
  };
}
