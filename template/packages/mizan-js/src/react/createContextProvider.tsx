import { createContext, useContext, type JSX, type ReactNode } from "react"

// Module-scoped: the adapter must not need Node's types in a browser build; bundlers replace NODE_ENV.
declare const process: { env: { NODE_ENV?: string } } | undefined

export interface ContextProvider<P> {
  /** Mounts one instance of the named context: its hooks below read with these params. */
  Provider(props: P & { children?: ReactNode }): JSX.Element
  /** The params of the nearest Provider; throws naming the Provider when there is none. */
  useParams(): P
}

/** Provider and params hook for the named context `contextName` (generated as `XxxProvider`). */
export function createContextProvider<P extends object>(contextName: string): ContextProvider<P> {
  // Written out (not a helper) so bundlers drop the check from production builds.
  if (typeof process !== "undefined" && process.env.NODE_ENV !== "production" && !/^[A-Za-z_][\w.]*$/.test(contextName)) {
    throw new TypeError(`createContextProvider needs the context's name as the backend declares it (context="todo"), got ${JSON.stringify(contextName)}`)
  }
  const ParamsContext = createContext<P | undefined>(undefined)
  const providerName = `${pascalCase(contextName)}Provider`
  ParamsContext.displayName = providerName

  function Provider({ children, ...params }: P & { children?: ReactNode }): JSX.Element {
    return <ParamsContext.Provider value={params as P}>{children}</ParamsContext.Provider>
  }
  Provider.displayName = providerName

  function useParams(): P {
    const params = useContext(ParamsContext)
    if (!params) {
      throw new MizanProviderMissingError(contextName, providerName)
    }
    return params
  }

  return { Provider, useParams }
}

/**
 * A hook of a named context rendered outside its Provider. It names the Provider to add, so an error boundary's
 * fallback and the development overlay can say it on the page, not only in the console.
 */
export class MizanProviderMissingError extends Error {
  override readonly name = "MizanProviderMissingError"
  readonly contextName: string
  /** The component to render above the hook, e.g. `TodoProvider`. */
  readonly providerName: string

  constructor(contextName: string, providerName: string) {
    super(`A hook of the "${contextName}" context was used outside <${providerName}>: render it inside <${providerName} ...params>.`)
    this.contextName = contextName
    this.providerName = providerName
  }
}

/** `todo_list` → `TodoList`, `contact.submit` → `ContactSubmit`: the generator's naming. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("")
}
