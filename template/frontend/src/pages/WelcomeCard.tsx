/** What runs behind this page and where to change it. Delete this file (and its line in App.tsx) when done. */
export function WelcomeCard() {
  return (
    <section className="welcome card" aria-labelledby="welcome-title">
      <h2 id="welcome-title">Your project is running</h2>
      <ul className="stack">
        <li>
          <strong>Django</strong> serves this page, the admin and the API (<code>backend/</code>).
        </li>
        <li>
          <strong>Mizan</strong> turns each <code>@client</code> function into a typed React hook.
        </li>
        <li>
          <strong>Vite</strong> serves the frontend; in development it reloads as you save.
        </li>
        <li>
          <strong>Redis</strong> carries live updates between servers when <code>REDIS_URL</code> is set.
        </li>
        <li>
          <strong>SSR</strong>, when the project renders pages on the server, sends them with their data.
        </li>
      </ul>
      <p>
        Mizan's own guide is in the README and the template's <code>docs/</code>. Edit the server functions in{" "}
        <code>backend/example/clients.py</code> and the pages in <code>frontend/src/pages/</code>; the hooks in{" "}
        <code>frontend/src/api/</code> follow by themselves.
      </p>
      <p className="links">
        <a href="https://docs.djangoproject.com/en/5.2/">Django docs</a>
        <a href="https://react.dev/learn">React</a>
        <a href="https://tanstack.com/query/latest/docs/framework/react/overview">TanStack Query</a>
        <a href="https://vite.dev/guide/">Vite</a>
        <a href="/admin/">Admin</a>
      </p>
    </section>
  )
}
