/**
 * An answer asked for once and then shared, for answers that hold for a whole run (a commit's
 * tree, a render of the same files). A failure is not kept, so the next ask tries again and
 * reports its own error; nor is an answer that `keep` turns down.
 */
export function askOnce<T>(answers: Map<string, Promise<T>>, key: string, find: () => Promise<T>, keep: (answer: T) => boolean = () => true): Promise<T> {
  const known = answers.get(key);
  if (known) return known;
  const answer = find();
  answers.set(key, answer);
  answer.then(
    (value) => keep(value) || answers.delete(key),
    () => answers.delete(key),
  );
  return answer;
}
