import type { Program } from '../domain/program';
import type { EventPublisher } from '../events/events';
import type { ClubStore } from '../store/club-store';
import type { ReferralStore } from '../store/referral-store';
import type { ReportStore } from '../store/report-store';
import type { ProgramRepository } from './program';
import type { RewardStore } from '../store/reward-store';

/**
 * What the club's use cases need from the world, all of it built by the wiring
 * (shared/wiring) for every entry point; tests pass their own clock.
 */
export interface ClubDeps {
  readonly store: ClubStore;
  readonly program: () => Promise<Program>;
  readonly now: () => Date;
  /** The program's versions (admin routes). */
  readonly programs: ProgramRepository;
  /** Members' referral codes. */
  readonly referrals: ReferralStore;
  /** Where domain events go after a commit. */
  readonly events: EventPublisher;
  /** Reward codes after they are issued. */
  readonly rewards: RewardStore;
  /** The report counters. */
  readonly reports: ReportStore;
  /**
   * The invocation's time left (Lambda's getRemainingTimeInMillis): what retry
   * loops stop by, answering before the function is killed. Absent: no deadline
   * (the CLI, tests), and the loops stop by their attempt count alone.
   */
  readonly remainingMs?: () => number;
}
