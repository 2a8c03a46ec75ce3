import type { JSX, ReactNode } from "react"

import { pascalCase } from "./createContextProvider.js"

/**
 * One member of a composed provider: a context made by createContextProvider, and the params it takes (the
 * rest are not passed). Only its Provider is used, so any context's params fit.
 */
export type ComposedMember = readonly [context: { Provider(props: never): JSX.Element }, params: readonly string[]]

/**
 * One provider mounting several named contexts (the backend's `@compose(...)`, generated as `XxxProvider`):
 * its props are the union of the members' params, and each member gets only the params it takes, so a member's
 * functions are never called with another context's params. Members nest in the order given, outermost first.
 */
export function composeProviders<P extends object>(
  name: string,
  members: readonly ComposedMember[],
): (props: P & { children?: ReactNode }) => JSX.Element {
  const providerName = `${pascalCase(name)}Provider`

  function Provider({ children, ...params }: P & { children?: ReactNode }): JSX.Element {
    let tree: ReactNode = children
    for (let index = members.length - 1; index >= 0; index--) {
      const [context, keys] = members[index]!
      const Member = context.Provider as (props: { [key: string]: unknown; children?: ReactNode }) => JSX.Element
      tree = <Member {...pick(params as { [key: string]: unknown }, keys)}>{tree}</Member>
    }
    return <>{tree}</>
  }
  Provider.displayName = providerName
  return Provider
}

function pick(params: { [key: string]: unknown }, keys: readonly string[]): { [key: string]: unknown } {
  return Object.fromEntries(keys.filter((key) => params[key] !== undefined).map((key) => [key, params[key]]))
}
