// Canary: sends the stage's canary share of requests (percentTraffic %, drawn at random per request)
// to the canary release, which then stands for the stage in every later step.
import type { InvocationContext } from './context.js';

export function canary(ctx: InvocationContext, random: () => number = Math.random): void {
  const release = ctx.stage?.canary;
  if (release && random() * 100 < release.percentTraffic) ctx.stage = release.stage;
}
