import { useCallback, useEffect, useRef, useState } from "react"
import { MizanError, type ChannelStatus, type ChannelSubscription, type SendOptions } from "../kernel/index.js"
import { useMizanRealtime } from "./useMizanRealtime.js"

export interface MizanChannelOptions<Out> {
  /** How many of the latest messages `messages` keeps; default 100 (0: none, for `onMessage` users). */
  keep?: number
  /** Called for every message as it arrives (for effects that must not miss one between renders). */
  onMessage?(message: Out): void
}

export interface MizanChannel<In, Out> {
  status: ChannelStatus
  /** The group's messages since this subscription opened, oldest first (the last `keep`). */
  messages: Out[]
  /** Sends a client message; rejects with a MizanError (VALIDATION_ERROR, TIMEOUT, ...). */
  send(message: In, options?: SendOptions): Promise<void>
  /** Why the server refused the subscription, if it did. */
  error: MizanError | undefined
}

/**
 * Subscribes to the channel `channel` with `params` while mounted (a new subscription when the params
 * change); the generated `useXxxChannel(params)` hooks type it from the backend's channel models.
 */
export function useMizanChannel<Params extends object, In extends object, Out>(
  channel: string,
  params: Params,
  options: MizanChannelOptions<Out> = {},
): MizanChannel<In, Out> {
  const realtime = useMizanRealtime()
  const keep = options.keep ?? 100
  const onMessage = useRef(options.onMessage)
  onMessage.current = options.onMessage
  const [state, setState] = useState<{ status: ChannelStatus; messages: Out[]; error: MizanError | undefined }>({
    status: "connecting",
    messages: [],
    error: undefined,
  })
  const subscription = useRef<ChannelSubscription<Params, In, Out> | undefined>(undefined)
  // The params by value: an inline object literal each render must not resubscribe.
  const paramsKey = JSON.stringify(params)

  useEffect(() => {
    setState({ status: "connecting", messages: [], error: undefined })
    const opened = realtime.subscribe<Params, In, Out>(channel, JSON.parse(paramsKey) as Params, {
      onMessage: (message) => {
        onMessage.current?.(message)
        setState((current) => ({ ...current, messages: keep > 0 ? [...current.messages, message].slice(-keep) : [] }))
      },
      onStatus: (status) => setState((current) => ({ ...current, status, error: opened.error })),
      onError: (error) => setState((current) => ({ ...current, status: "disconnected", error })),
    })
    subscription.current = opened
    return () => {
      opened.close()
      if (subscription.current === opened) subscription.current = undefined
    }
  }, [realtime, channel, paramsKey, keep])

  const send = useCallback(async (message: In, sendOptions?: SendOptions) => {
    const current = subscription.current
    if (!current) throw new MizanError("ABORTED", `useMizanChannel(${JSON.stringify(channel)}): send after the component unmounted`)
    await current.send(message, sendOptions)
  }, [channel])

  return { status: state.status, messages: state.messages, send, error: state.error }
}
