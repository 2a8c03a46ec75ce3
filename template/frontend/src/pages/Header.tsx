import { useCurrentUser, useLogout } from "../api"

/**
 * Who is logged in: the global context `current_user`, refreshed by log in, sign up and log out. The title is a
 * prop (the view's), not `document.title`: the server renders this too, where there is no document.
 */
export function Header({ title }: { title?: string }) {
  const user = useCurrentUser()
  const logout = useLogout()
  return (
    <header>
      <h1>{title || "Mizan"}</h1>
      {user.is_authenticated ? (
        <p>
          <span data-testid="current-user">Logged in as {user.username}</span>{" "}
          <button type="button" disabled={logout.isPending} onClick={() => void logout.mutate({})}>
            Log out
          </button>
        </p>
      ) : (
        <p data-testid="current-user">Not logged in</p>
      )}
    </header>
  )
}
