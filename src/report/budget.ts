/**
 * Fitting a report into a size limit by giving up detail in a fixed order, never by cutting text
 * mid-way (which could leave a code fence or a <details> open):
 *
 *   1. collapse the largest items to their one-line form (for a preview: drop the biggest diffs);
 *   2. list at most N items per section, the same N for every section, and count the rest;
 *   3. leave out the sections, keep the table, at most M rows of it;
 *   4. a minimal document that only says where to look.
 *
 * Lengths are measured by a caller-given function: JS string length (UTF-16 code units, which is at
 * least GitHub's character count) for comments, UTF-8 bytes for job summaries.
 */

export interface BudgetItem {
  /** Full form, e.g. a resource's `<details>` with its diff. */
  full: string;
  /** One-line form kept when the full form does not fit. Same as `full` when there is nothing to drop. */
  compact: string;
  /** How the item is named when left out, e.g. `Deployment/shop/web`. */
  label: string;
}

export interface BudgetSection {
  /** Section name used in notes (an environment). */
  name: string;
  open: string;
  items: BudgetItem[];
  close: string;
}

export interface Omissions {
  /** Items shown only in their one-line form, largest first, with their section. */
  collapsed: Array<{ section: string; label: string; size: number }>;
  /** Items not listed at all, per section. */
  unlisted: Array<{ section: string; count: number }>;
  /** Table rows and sections left out. */
  hiddenRows: number;
  sectionsHidden: boolean;
}

export interface BudgetDocument {
  head: string;
  /** The table, as header + rows; rows can be cut when nothing else is left to give up. */
  tableHead: string;
  rows: string[];
  /** Line standing for rows left out. */
  moreRows: (hidden: number) => string;
  /** Fixed text between the table and the sections (e.g. a findings table); left out only with the sections. */
  afterTable?: string;
  sections: BudgetSection[];
  /** Line standing for items of a section that are not listed. */
  moreItems: (hidden: number) => string;
  /** The note naming what was left out; must itself stay short (it is measured like the rest). */
  note: (omissions: Omissions) => string;
  foot: string;
  /** Last resort when nothing else fits. */
  minimal: string;
}

interface Plan {
  /** Items (by index in `all`) shown in their compact form. */
  collapsed: Set<number>;
  maxItems: number;
  maxRows: number;
  sections: boolean;
}

export function fitDocument(doc: BudgetDocument, limit: number, measureText: (text: string) => number = (t) => t.length): string {
  // Plans are measured many times over; the same strings come back each time (V8 keeps a string's hash).
  const sizes = new Map<string, number>();
  const measure = (text: string): number => {
    let size = sizes.get(text);
    if (size === undefined) sizes.set(text, (size = measureText(text)));
    return size;
  };
  const all = doc.sections.flatMap((section) => section.items.map((item) => ({ section, item })));
  const indexOf = new Map(all.map((entry, index) => [entry.item, index]));
  const itemSize = all.map(({ item }) => measure(item.full) - measure(item.compact));
  const maxItems = Math.max(0, ...doc.sections.map((s) => s.items.length));
  const fits = (plan: Plan) => measurePlan(plan) <= limit;

  const pieces = (plan: Plan): string[] => {
    const out: string[] = [doc.head, doc.tableHead];
    const shownRows = Math.min(plan.maxRows, doc.rows.length);
    out.push(...doc.rows.slice(0, shownRows));
    if (shownRows < doc.rows.length) out.push(doc.moreRows(doc.rows.length - shownRows));
    // A blank line ends the table before any HTML block that follows.
    out.push('\n');
    if (plan.sections && doc.afterTable) out.push(doc.afterTable);
    const omissions: Omissions = { collapsed: [], unlisted: [], hiddenRows: doc.rows.length - shownRows, sectionsHidden: !plan.sections };
    if (plan.sections) {
      for (const section of doc.sections) {
        out.push(section.open);
        section.items.forEach((item, position) => {
          if (position >= plan.maxItems) return;
          const index = indexOf.get(item) as number;
          const collapse = plan.collapsed.has(index);
          out.push(collapse ? item.compact : item.full);
          if (collapse) omissions.collapsed.push({ section: section.name, label: item.label, size: itemSize[index] });
        });
        const hidden = section.items.length - Math.min(plan.maxItems, section.items.length);
        if (hidden > 0) {
          out.push(doc.moreItems(hidden));
          omissions.unlisted.push({ section: section.name, count: hidden });
        }
        out.push(section.close);
      }
    }
    omissions.collapsed.sort((a, b) => b.size - a.size);
    out.push(doc.note(omissions), doc.foot);
    return out;
  };
  const measurePlan = (plan: Plan) => pieces(plan).reduce((sum, piece) => sum + measure(piece), 0);

  const everything: Plan = { collapsed: new Set(), maxItems, maxRows: doc.rows.length, sections: true };
  if (fits(everything)) return pieces(everything).join('');

  // 1. Collapse the k largest items, k as small as fits.
  const largestFirst = all.map((_, i) => i).filter((i) => itemSize[i] > 0).sort((a, b) => itemSize[b] - itemSize[a]);
  const collapseLargest = (k: number): Plan => ({ ...everything, collapsed: new Set(largestFirst.slice(0, k)) });
  const allCollapsed = collapseLargest(largestFirst.length);
  if (fits(allCollapsed)) {
    const k = smallestPassing(0, largestFirst.length, (k) => fits(collapseLargest(k)));
    return pieces(collapseLargest(k)).join('');
  }

  // 2. The same cap on listed items for every section, as high as fits.
  const capped = (n: number): Plan => ({ ...allCollapsed, maxItems: n });
  if (fits(capped(0))) {
    const n = largestPassing(0, maxItems, (n) => fits(capped(n)));
    return pieces(capped(n)).join('');
  }

  // 3. Only the table, as many rows as fit.
  const tableOnly = (rows: number): Plan => ({ ...allCollapsed, maxItems: 0, sections: false, maxRows: rows });
  if (fits(tableOnly(0))) {
    const rows = largestPassing(0, doc.rows.length, (rows) => fits(tableOnly(rows)));
    return pieces(tableOnly(rows)).join('');
  }

  // 4. Nothing of the detail fits (absurd names or a tiny limit).
  return doc.minimal;
}

/** Smallest n in [lo, hi] with pass(n), given pass is monotone false..true and pass(hi). */
function smallestPassing(lo: number, hi: number, pass: (n: number) => boolean): number {
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (pass(mid)) hi = mid;
    else lo = mid + 1;
  }
  return hi;
}

/** Largest n in [lo, hi] with pass(n), given pass is monotone true..false and pass(lo). */
function largestPassing(lo: number, hi: number, pass: (n: number) => boolean): number {
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (pass(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * A list of names that stops before `maxLength`, ending with how many more there are,
 * so a note about 5,000 left-out diffs does not itself blow the budget.
 */
export function boundedList(names: readonly string[], maxLength: number): string {
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const next = out ? `${out}, ${names[i]}` : names[i];
    const rest = names.length - i - 1;
    const tail = rest > 0 ? `, and ${rest} more` : '';
    if (next.length + tail.length > maxLength) return `${out || '…'}, and ${names.length - i} more`;
    out = next;
  }
  return out;
}
