/**
 * The promotion-chain planner, table-driven: a run is simulated step by step with scripted deploy
 * and promotion outcomes, and the order of deploys, skips and promotions is compared.
 */
import {
  afterDeploy,
  afterPromotion,
  deployAfterPromotion,
  findPromotionCycles,
  nextStep,
  promotionLinks,
  startChain,
  upstreamOf,
  type ChainStatus,
  type PromotionEffect,
} from '../../src/config/promotion-chain.js';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { environment } from '../flows/memory-ports.js';

const dev = environment({ name: 'dev' });
const staging = environment({ name: 'staging', promoteFrom: 'dev' });
const prod = environment({ name: 'prod', promoteFrom: 'staging', promotion: 'pull-request' });
const qa = environment({ name: 'qa', promoteFrom: 'dev' });
const line = [dev, staging, prod];

const pushed = (commit: string): PromotionEffect => ({ pushed: true, commit, changes: [{}] });
const opened: PromotionEffect = { changes: [{}] };
const unchanged: PromotionEffect = { pushed: false, changes: [] };

interface Script {
  environments: EnvironmentConfig[];
  deploying: EnvironmentConfig[];
  /** How each deploy ends (each deploy of a name takes the next one; default success). */
  deploys?: Record<string, ChainStatus[]>;
  /** What each promotion into a target does; `'fails'` throws. Default: pushed with commit `<target>-c<n>`. */
  promotions?: Record<string, Array<PromotionEffect | 'fails'>>;
  promote?: boolean;
  dryRun?: boolean;
}

/** Runs the planner the way the deploy flow does and returns what happened, in order. */
function simulate(script: Script): string[] {
  const events: string[] = [];
  const deploys = structuredClone(script.deploys ?? {});
  const promotions = { ...script.promotions };
  const counts = new Map<string, number>();
  let plan = startChain(script.environments, script.deploying);
  for (let next = nextStep(plan); next; next = nextStep(plan)) {
    plan = next.plan;
    const name = next.step.environment.name;
    if (next.blockedBy) {
      events.push(`skip ${name} (${next.blockedBy} failed)`);
      continue;
    }
    const status = deploys[name]?.shift() ?? 'success';
    events.push(`deploy ${name}@${next.step.promotedCommit ?? 'run'} ${status}`);
    const settled = afterDeploy(plan, name, status, script.promote ?? true);
    plan = settled.plan;
    for (const target of settled.targets) {
      const n = (counts.get(target.name) ?? 0) + 1;
      counts.set(target.name, n);
      const scripted = promotions[target.name]?.[n - 1];
      const effect = scripted === 'fails' ? undefined : (scripted ?? pushed(`${target.name}-c${n}`));
      events.push(`promote ${name} -> ${target.name}${effect ? '' : ' failed'}`);
      plan = afterPromotion(plan, target, effect, script.dryRun ?? false);
    }
  }
  return events;
}

describe('the promotion chain planner', () => {
  it.each<[string, Script, string[]]>([
    [
      'a healthy deploy promotes into its targets; a pushed commit-mode promotion deploys the target from its commit',
      { environments: line, deploying: [dev], promotions: { prod: [opened] } },
      ['deploy dev@run success', 'promote dev -> staging', 'deploy staging@staging-c1 success', 'promote staging -> prod'],
    ],
    [
      'a pull-request promotion opens the PR and deploys nothing',
      { environments: [dev, environment({ name: 'staging', promoteFrom: 'dev', promotion: 'pull-request' })], deploying: [dev], promotions: { staging: [opened] } },
      ['deploy dev@run success', 'promote dev -> staging'],
    ],
    [
      'a promotion that changes nothing deploys nothing',
      { environments: line, deploying: [dev], promotions: { staging: [unchanged] } },
      ['deploy dev@run success', 'promote dev -> staging'],
    ],
    [
      'a failed deploy promotes nothing, and skips what it feeds, naming the nearest failure',
      { environments: line, deploying: [dev, staging, prod], deploys: { dev: ['failure'] } },
      ['deploy dev@run failure', 'skip staging (dev failed)', 'skip prod (staging failed)'],
    ],
    [
      'skipped for a newer deployed commit: nothing promoted, and nothing below blocked',
      { environments: line, deploying: [dev, staging], deploys: { dev: ['skipped'], staging: ['success'] }, promotions: { prod: [opened] } },
      ['deploy dev@run skipped', 'deploy staging@run success', 'promote staging -> prod'],
    ],
    [
      'a target already queued is deployed once, from the promotion commit, in its place',
      { environments: line, deploying: [dev, staging], promotions: { prod: [opened] } },
      ['deploy dev@run success', 'promote dev -> staging', 'deploy staging@staging-c1 success', 'promote staging -> prod'],
    ],
    [
      'a target deployed earlier in the run is deployed again after a later push into it',
      { environments: [staging, dev], deploying: [staging, dev], promotions: { staging: [pushed('s1')] }, promote: true },
      ['deploy staging@run success', 'deploy dev@run success', 'promote dev -> staging', 'deploy staging@s1 success'],
    ],
    [
      'a failed promotion fails its target: it is not deployed, and what it feeds is skipped',
      { environments: line, deploying: [dev, staging, prod], promotions: { staging: ['fails'] } },
      ['deploy dev@run success', 'promote dev -> staging failed', 'skip prod (staging failed)'],
    ],
    [
      'a dry run promotes (as a dry run) after a planned deploy, and deploys no target',
      { environments: line, deploying: [dev], deploys: { dev: ['planned'] }, dryRun: true },
      ['deploy dev@run planned', 'promote dev -> staging'],
    ],
    [
      'promotion off (the command line): deploys only what was asked',
      { environments: line, deploying: [dev], promote: false },
      ['deploy dev@run success'],
    ],
    [
      'two targets of one source, in config order; a failure of one leaves the other',
      { environments: [dev, qa, staging], deploying: [dev], deploys: { qa: ['failure'] } },
      ['deploy dev@run success', 'promote dev -> qa', 'promote dev -> staging', 'deploy qa@qa-c1 failure', 'deploy staging@staging-c1 success'],
    ],
    [
      'a promotion into a queued target replaces its deploy; a failure there ends the chain',
      { environments: line, deploying: [dev, staging], deploys: { staging: ['failure', 'success'] }, promotions: { staging: [pushed('s1')] } },
      ['deploy dev@run success', 'promote dev -> staging', 'deploy staging@s1 failure'],
    ],
  ])('%s', (_name, script, expected) => {
    expect(simulate(script)).toEqual(expected);
  });

  it.each<[string, PromotionEffect, boolean, string | undefined]>([
    ['pushed with changes', pushed('abc'), false, 'abc'],
    ['pushed, dry run', pushed('abc'), true, undefined],
    ['a commit not pushed (the command line commits locally)', { pushed: false, commit: 'abc', changes: [{}] }, false, undefined],
    ['pull request (no push to the target branch)', { commit: 'abc', changes: [{}] }, false, undefined],
    ['nothing to change', { pushed: true, changes: [] }, false, undefined],
  ])('deploys the target after a promotion: %s', (_name, effect, dryRun, expected) => {
    expect(deployAfterPromotion(effect, dryRun)).toBe(expected);
  });

  it('walks up the chain nearest first, and stops at a cycle before repeating', () => {
    expect(upstreamOf(promotionLinks(line), 'prod')).toEqual(['staging', 'dev']);
    expect(upstreamOf(promotionLinks(line), 'dev')).toEqual([]);
    const loop = promotionLinks([{ name: 'a', promoteFrom: 'c' }, { name: 'b', promoteFrom: 'a' }, { name: 'c', promoteFrom: 'b' }]);
    expect(upstreamOf(loop, 'a')).toEqual(['c', 'b']);
  });

  it('finds each cycle once, from its first name in config order', () => {
    const links = promotionLinks([
      { name: 'a', promoteFrom: 'c' },
      { name: 'b', promoteFrom: 'a' },
      { name: 'c', promoteFrom: 'b' },
      { name: 'self', promoteFrom: 'self' },
      { name: 'tail', promoteFrom: 'a' },
      { name: 'free' },
    ]);
    expect(findPromotionCycles(links, ['a', 'b', 'c', 'self', 'tail', 'free'])).toEqual([['a', 'c', 'b'], ['self']]);
  });
});
