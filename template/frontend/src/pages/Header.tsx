import { useCurrentUser, useLogout } from "../api"

/** Who is logged in: the global context `current_user`, refreshed by log in, sign up and log out. */
export function Header() {
  const user = useCurrentUser()
  const logout = useLogout()
  return (
    <header>
      <h1>{document.title || "Mizan"}</h1>
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
