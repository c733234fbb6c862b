import type { Scenario } from '../services/scenarios.ts';
import type { UserService } from '../services/user-service.ts';
import type { BotContext } from './bot-context.ts';

/** Most steps one message may walk through (a `goto` loop stops here). */
export const MAX_STEPS_PER_MESSAGE = 50;

/**
 * Runs scenarios: `text` steps are sent, `goto` jumps, `ask` sends its question and waits
 * (the position is kept in the user's hybridstate conversation session); the answer is stored
 * in the user's session (`answers`) or profile, and the scenario goes on.
 */
export class ScenarioRunner {
  readonly #users: UserService;

  constructor(users: UserService) {
    this.#users = users;
  }

  /** Run `scenario` from step `from` until it asks something or ends. */
  async run(ctx: BotContext, scenario: Scenario, from = 0): Promise<void> {
    let index = from;
    for (let walked = 0; walked < MAX_STEPS_PER_MESSAGE; walked++) {
      const step = scenario.steps[index];
      if (step === undefined) break;
      if (step.type === 'goto') {
        index = step.step;
        continue;
      }
      await ctx.reply(step.text);
      if (step.type === 'ask') {
        ctx.conversation = { kind: 'scenario', scenarioId: scenario.id, step: index };
        return;
      }
      index++;
    }
    ctx.conversation = null;
  }

  /** Store the answer to the `ask` step the user is at, and go on. */
  async answer(
    ctx: BotContext,
    scenario: Scenario,
    stepIndex: number,
    text: string,
  ): Promise<void> {
    const step = scenario.steps[stepIndex];
    if (step?.type !== 'ask') {
      ctx.conversation = null;
      return;
    }
    if (step.store === 'profile') await this.#users.setProfileField(ctx.from!.id, step.field, text);
    else ctx.answers = { ...(ctx.answers ?? {}), [step.field]: text };
    await this.run(ctx, scenario, stepIndex + 1);
  }
}
