/** Commit messages and pull request texts of a promotion. */
import type { PromotionChange } from './types.js';

export interface PromotionSummary {
  from?: string;
  to: string;
  sourceCommit?: string;
  changes: readonly PromotionChange[];
}

interface ImageChange {
  image: string;
  from: string;
  to: string;
  backwards?: true;
}

/** One entry per image (an image edited in several places counts once). */
export function imageChanges(changes: readonly PromotionChange[]): ImageChange[] {
  const byImage = new Map<string, ImageChange>();
  for (const change of changes) {
    if (!byImage.has(change.image)) byImage.set(change.image, { image: change.image, from: change.from, to: change.to, ...(change.backwards ? { backwards: change.backwards } : {}) });
  }
  return [...byImage.values()];
}

/** Short display name: the last path component (`ghcr.io/acme/app` -> `app`), unless two images share it. */
function displayNames(images: readonly ImageChange[]): Map<string, string> {
  const short = (name: string) => name.split('/').at(-1) ?? name;
  const counts = new Map<string, number>();
  for (const i of images) counts.set(short(i.image), (counts.get(short(i.image)) ?? 0) + 1);
  return new Map(images.map((i) => [i.image, counts.get(short(i.image))! > 1 ? i.image : short(i.image)]));
}

function shorten(version: string): string {
  return version.replace(/sha256:([a-f0-9]{12})[a-f0-9]{52}/g, 'sha256:$1');
}

function direction(summary: PromotionSummary): string {
  return summary.from ? `${summary.from} -> ${summary.to}` : `to ${summary.to}`;
}

/** `promote dev -> staging: app 1.4.2 -> 1.5.0`; several images are summarised and listed in the body. */
export function commitMessage(summary: PromotionSummary): string {
  const images = imageChanges(summary.changes);
  const names = displayNames(images);
  const subject =
    images.length === 1
      ? `promote ${direction(summary)}: ${names.get(images[0].image)} ${shorten(images[0].from)} -> ${shorten(images[0].to)}${images[0].backwards ? ' (backwards)' : ''}`
      : `promote ${direction(summary)}: ${images.length} images (${images.map((i) => names.get(i.image)).join(', ')})${images.some((i) => i.backwards) ? ' (backwards)' : ''}`;
  const list = images.length > 1 ? images.map((i) => `- ${i.image}: ${i.from} -> ${i.to}${i.backwards ? ' (backwards)' : ''}`).join('\n') : '';
  const body = [list, backwardsText(images)].filter(Boolean).join('\n\n');
  const trailers = [
    ...(summary.sourceCommit ? [`Slipway-Source-Commit: ${summary.sourceCommit}`] : []),
    ...(summary.from ? [`Slipway-From: ${summary.from}`] : []),
    `Slipway-To: ${summary.to}`,
  ].join('\n');
  return [truncate(subject, 200), body, trailers].filter(Boolean).join('\n\n') + '\n';
}

/** `Promote dev -> prod: app 1.5.0` (several images: their names and versions, shortened). */
export function pullRequestTitle(summary: PromotionSummary): string {
  const images = imageChanges(summary.changes);
  const names = displayNames(images);
  const list = images.map((i) => `${names.get(i.image)} ${shorten(i.to)}`).join(', ');
  return truncate(`Promote ${direction(summary)}: ${list}${images.some((i) => i.backwards) ? ' (backwards)' : ''}`, 240);
}

/** A sentence per image whose version goes back, for commit bodies and PR descriptions. */
function backwardsText(images: readonly ImageChange[]): string {
  return images
    .filter((i) => i.backwards)
    .map((i) => `Backwards: ${i.image} goes from ${i.from} back to the older ${i.to}.`)
    .join('\n');
}

export interface RepositoryLink {
  /** e.g. `https://github.com` */
  serverUrl: string;
  owner: string;
  repo: string;
}

export function pullRequestBody(summary: PromotionSummary, repository?: RepositoryLink): string {
  const images = imageChanges(summary.changes);
  const source = summary.sourceCommit
    ? repository
      ? `[\`${summary.sourceCommit.slice(0, 7)}\`](${repository.serverUrl.replace(/\/$/, '')}/${repository.owner}/${repository.repo}/commit/${summary.sourceCommit})`
      : `\`${summary.sourceCommit}\``
    : undefined;
  const lines = [
    `Promotes ${images.length === 1 ? 'one image' : `${images.length} images`} ${summary.from ? `from **${summary.from}** ` : ''}to **${summary.to}**${source ? ` (source commit ${source})` : ''}.`,
    '',
    ...images.filter((i) => i.backwards).flatMap((i) => [`**⚠️ Backwards:** \`${i.image}\` goes from \`${i.from}\` back to the older \`${i.to}\`.`, '']),
    '| image | from | to |',
    '|---|---|---|',
    ...images.map((i) => `| \`${i.image}\` | \`${i.from}\` | \`${i.to}\` |`),
    '',
    'Changed files:',
    '',
    ...summary.changes.map((c) => `- \`${c.file}\` line ${c.line}: ${c.image} ${c.from} -> ${c.to}`),
    '',
    '<!-- slipway:promotion -->',
  ];
  return lines.join('\n') + '\n';
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
