// The guest gives a held start back: the hold stops taking its host's time at once (the slots read only
// live holds). Releasing again, or releasing an expired hold, changes nothing; a hold that became a booking
// is refused with HOLD_EXPIRED (the booking is cancelled on its own).
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { HoldRepository } from '../ports/hold.repository.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { holdView, type HoldView } from './hold-view.js';

export class ReleaseHold {
  constructor(
    private readonly holds: HoldRepository,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
  ) {}

  execute(input: { workspaceId: string; holdId: string }): Promise<HoldView> {
    return this.uow.transactional(async () => {
      const hold = await this.holds.findForUpdate(input.workspaceId, input.holdId);
      if (!hold) throw DomainError.notFound('Hold');
      const now = this.clock.now();
      hold.release(now);
      await this.holds.save(hold);
      return holdView(hold, now);
    });
  }
}
