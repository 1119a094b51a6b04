import type { Program } from '../domain/program';
import type { EventPublisher } from '../events/events';
import type { ClubStore } from '../store/club-store';
import type { RewardStore } from '../store/reward-store';

/** What the club's use cases need from the world; tests pass their own clock. */
export interface ClubDeps {
  readonly store: ClubStore;
  readonly program: () => Promise<Program>;
  readonly now: () => Date;
  /** Where domain events go after a commit; none when absent. */
  readonly events?: EventPublisher;
  /** Reward codes after they are issued; the reward routes need it. */
  readonly rewards?: RewardStore;
}
