// Lists, creates, updates and deletes a comment through the generated client, against the
// running example at BASE_URL. Type-checked with `tsc --strict` before it runs: a field the
// API does not have, or a status it does not declare, does not compile.
import { createClient } from "./client";

declare const process: { env: Record<string, string | undefined>; exitCode?: number };

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`expected ${what}`);
}

async function main(): Promise<void> {
  const api = createClient({ baseUrl: process.env.BASE_URL });

  const listed = await api.getComments();
  if (!listed.ok) throw new Error(`list failed: ${listed.status}`);
  const before = listed.data.length;
  check(before >= 3, "the seed comments");

  const created = await api.postComments({ text: "from TypeScript" });
  if (!created.ok) throw new Error(`create failed: ${created.status}`);
  check(created.status === 201, "201 Created");
  const id = String(created.data.id);
  check(created.data.text === "from TypeScript", "the new comment's text");
  check(created.headers.get("location") === `/comments/${id}`, "its Location");

  const found = await api.getComments({ query: "TypeScript" });
  check(found.ok && found.data.length === 1, "the search to find it");

  const updated = await api.patchCommentsById(id, { text: "edited" });
  if (!updated.ok) throw new Error(`update failed: ${updated.status}`);
  check(updated.data.text === "edited", "the edited text");

  const refused = await api.postComments({ text: "" });
  if (refused.status !== 400) throw new Error(`an empty text answered ${refused.status}`);
  check(refused.error?.error === "text is required", "the 400's message");

  const deleted = await api.deleteCommentsById(id);
  check(deleted.ok && deleted.data.id === Number(id), "the deleted comment");

  const gone = await api.getCommentsById(id);
  if (gone.status !== 404) throw new Error(`a deleted comment answered ${gone.status}`);
  check(gone.error?.error === "Comment not found", "the 404's message");

  // A parameter cannot climb to another route: `/comments/..` would be `/`.
  for (const hostile of ["..", ".", ""]) {
    let refused = false;
    try {
      await api.getCommentsById(hostile);
    } catch (err) {
      refused = err instanceof TypeError;
    }
    check(refused, `${JSON.stringify(hostile)} refused as an id`);
  }
  const slash = await api.getCommentsById("1/2");
  check(slash.status === 400, "an id holding a slash to stay one segment (400: not a number)");

  const after = await api.getComments();
  check(after.ok && after.data.length === before, "the list as it was");
  console.log("crud: ok");
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
