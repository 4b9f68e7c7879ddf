/**
 * Path globs for `exclude:`, as Argo CD's directory options and .gitignore read them: `*` and `?`
 * stay within one path segment, `**` spans any number of them, `{a,b}` is either, `[abc]` one of.
 * A pattern with no `/` matches a file's name at any depth; one with `/` matches the path
 * relative to the environment directory.
 */

export type PathMatcher = (relativePath: string) => boolean;

/** A matcher for `pattern`, or an error message saying what is wrong with it. */
export function compileGlob(pattern: string): PathMatcher | string {
  if (pattern.trim() === '') return 'an empty pattern matches nothing';
  let regex: RegExp;
  try {
    regex = new RegExp(`^${translate(pattern.replace(/^\.\//, '').replace(/\/$/, '/**'))}$`);
  } catch {
    return `"${pattern}" is not a valid glob (check its brackets and braces)`;
  }
  const byName = !pattern.replace(/\/$/, '').includes('/');
  return (path) => regex.test(path) || (byName && regex.test(path.slice(path.lastIndexOf('/') + 1)));
}

function translate(glob: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) throw new Error('unclosed [');
      const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
      out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  if (braces > 0) throw new Error('unclosed {');
  return out;
}
