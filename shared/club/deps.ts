import type { Program } from '../domain/program';
import type { EventPublisher } from '../events/events';
import type { ClubStore } from '../store/club-store';
import type { ReferralStore } from '../store/referral-store';
import type { ReportStore } from '../store/report-store';
import type { ProgramRepository } from './program';
import type { RewardStore } from '../store/reward-store';

/** What the club's use cases need from the world; tests pass their own clock. */
export interface ClubDeps {
  readonly store: ClubStore;
  readonly program: () => Promise<Program>;
  readonly now: () => Date;
  /** The program's versions (admin routes); absent in tests that only earn. */
  readonly programs?: ProgramRepository;
  /** Members' referral codes. */
  readonly referrals?: ReferralStore;
  /** Where domain events go after a commit; none when absent. */
  readonly events?: EventPublisher;
  /** Reward codes after they are issued; the reward routes need it. */
  readonly rewards?: RewardStore;
  /** The report counters (reports routes). */
  readonly reports?: ReportStore;
  /**
   * The invocation's time left (Lambda's getRemainingTimeInMillis): what retry
   * loops stop by, answering before the function is killed. Absent: no deadline
   * (the CLI, tests), and the loops stop by their attempt count alone.
   */
  readonly remainingMs?: () => number;
}
