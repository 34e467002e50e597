// Reads one hold of a workspace, with its status now.
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { HoldRepository } from '../ports/hold.repository.js';
import { holdView, type HoldView } from './hold-view.js';

export class GetHold {
  constructor(
    private readonly holds: HoldRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: { workspaceId: string; holdId: string }): Promise<HoldView> {
    const hold = await this.holds.findById(input.workspaceId, input.holdId);
    if (!hold) throw DomainError.notFound('Hold');
    return holdView(hold, this.clock.now());
  }
}
