// A booking page gives back what its session holds (the guest went back to the times, or picked another):
// every live hold of the holder is released at once. Nothing held is nothing to do.
import { Clock } from '../ports/clock.js';
import { HoldRepository } from '../ports/hold.repository.js';
import { UnitOfWork } from '../ports/unit-of-work.js';

/** Inside a UnitOfWork transaction: the holder's live holds give their time back, each under its host's lock. */
export async function releaseHeldBy(
  holds: HoldRepository,
  workspaceId: string,
  holder: string,
  now: Date,
): Promise<void> {
  for (const earlier of await holds.findLiveByHolder(workspaceId, holder, now)) {
    const locked = await holds.findForUpdate(workspaceId, earlier.id);
    if (!locked?.isLiveAt(now)) continue;
    locked.release(now);
    await holds.save(locked);
  }
}

export class ReleaseHeldBy {
  constructor(
    private readonly holds: HoldRepository,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
  ) {}

  execute(input: { workspaceId: string; holder: string }): Promise<void> {
    return this.uow.transactional(() =>
      releaseHeldBy(this.holds, input.workspaceId, input.holder, this.clock.now()),
    );
  }
}
