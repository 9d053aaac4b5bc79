/**
 * Long messages (a coordinator's list of a thousand pairs) in pages that each fit in one card: the
 * first page is sent, and its "show more" button asks for the next. The pages wait here, in memory,
 * for the person they were made for, a day at most (and a hundred lists at most); after a restart a
 * "show more" says the list is gone and how to ask for it again. They hold what the coordinator may
 * see anyway (names, dates, counts), and only for that person.
 */
import { createHash, randomBytes } from 'node:crypto';

/** The lines of `text` in pages as long as `fits` allows; a line too long for any page gets a page to itself. */
export function paginate(text: string, fits: (page: string, index: number) => boolean): string[] {
  const lines = text.split('\n');
  const pages: string[] = [];
  const take = (from: number, count: number) => lines.slice(from, from + count).join('\n');
  let from = 0;
  while (from < lines.length) {
    const left = lines.length - from;
    const ok = (count: number) => fits(take(from, count), pages.length);
    // Gallop to a count that no longer fits, then search between the last that did and it.
    let good = 1;
    let bad = left + 1;
    while (good < left) {
      const next = Math.min(good * 2, left);
      if (!ok(next)) {
        bad = next;
        break;
      }
      good = next;
    }
    while (bad - good > 1) {
      const mid = Math.floor((good + bad) / 2);
      if (ok(mid)) good = mid;
      else bad = mid;
    }
    pages.push(take(from, good));
    from += good;
  }
  return pages;
}

interface Kept {
  user: string;
  pages: string[];
  until: number;
  digest: string;
}

export class PagedLists {
  private readonly lists = new Map<string, Kept>();

  constructor(
    private readonly now: () => number,
    private readonly keepMs = 24 * 60 * 60 * 1000,
    private readonly max = 100,
  ) {}

  /** Keeps the pages for `user`; returns the list's id for the "show more" button (the same id for the same pages). */
  keep(user: string, pages: string[]): string {
    const now = this.now();
    for (const [id, kept] of this.lists) if (kept.until <= now) this.lists.delete(id);
    const digest = createHash('sha256').update(user).update('\0').update(pages.join('\f')).digest('hex');
    for (const [id, kept] of this.lists) if (kept.digest === digest) return id;
    while (this.lists.size >= this.max) this.lists.delete(this.lists.keys().next().value!);
    const id = randomBytes(12).toString('base64url');
    this.lists.set(id, { user, pages, until: now + this.keepMs, digest });
    return id;
  }

  /** The list's pages, if it is still kept and was made for `user`. */
  pages(user: string, id: string): string[] | null {
    const kept = this.lists.get(id);
    return kept && kept.user === user && kept.until > this.now() ? kept.pages : null;
  }
}
