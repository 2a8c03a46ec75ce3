import { type FormEvent, useState } from "react"
import { useCurrentUser, useLogin, useSignUp } from "../api"
import { Field } from "../components/Field"
import { FormError } from "../components/FormError"

/** Log in or sign up; hidden once logged in. Server validation errors appear at their fields. */
export function AccountPage() {
  const user = useCurrentUser()
  if (user.is_authenticated) return null
  return (
    <div className="account">
      <LoginForm />
      <SignUpForm />
    </div>
  )
}

function LoginForm() {
  const login = useLogin()
  const [username, setUsername] = useState("")
  const [password, setPassword] = useState("")
  function submit(event: FormEvent) {
    event.preventDefault()
    void login.mutate({ username, password })
  }
  return (
    <form aria-label="Log in" onSubmit={submit}>
      <h2>Log in</h2>
      <Field
        id="login-username"
        label="Username"
        path="username"
        error={login.error}
        value={username}
        onChange={setUsername}
      />
      <Field
        id="login-password"
        label="Password"
        path="password"
        type="password"
        error={login.error}
        value={password}
        onChange={setPassword}
      />
      <FormError error={login.error} />
      <button type="submit" disabled={login.isPending}>
        Log in
      </button>
    </form>
  )
}

function SignUpForm() {
  const signUp = useSignUp()
  const [username, setUsername] = useState("")
  const [password, setPassword] = useState("")
  function submit(event: FormEvent) {
    event.preventDefault()
    void signUp.mutate({ username, password })
  }
  return (
    <form aria-label="Sign up" onSubmit={submit}>
      <h2>Sign up</h2>
      <Field
        id="signup-username"
        label="Username"
        path="username"
        error={signUp.error}
        value={username}
        onChange={setUsername}
      />
      <Field
        id="signup-password"
        label="Password"
        path="password"
        type="password"
        error={signUp.error}
        value={password}
        onChange={setPassword}
      />
      <FormError error={signUp.error} />
      <button type="submit" disabled={signUp.isPending}>
        Sign up
      </button>
    </form>
  )
}
