export { ChannelSubscription, type ChannelHandlers, type ChannelStatus, type SendOptions } from "./channelClient.js"
export { callMizan, type CallMizanOptions } from "./callMizan.js"
export { getDefaultClient, mizanClientFor, setDefaultClient } from "./defaultClient.js"
export { dehydrateMizan, hydrateMizan, type MizanHydratedQuery, type MizanHydration } from "./hydration.js"
export { applyInvalidation } from "./invalidate.js"
export {
  INVALIDATE_HEADER,
  invalidationKey,
  invalidationKeyFilter,
  matchesInvalidationKey,
  readInvalidationKeys,
} from "./invalidationKey.js"
export { MizanClient, type CallOptions, type FailedCall, type MizanClientOptions } from "./mizanClient.js"
export { DjangoError, MizanError, toMizanError, type MizanErrorCode, type MizanErrorDetails } from "./mizanError.js"
export { LiveInvalidation, type LiveInvalidationOptions } from "./liveInvalidation.js"
export {
  mizanMutationOptions,
  mizanQueryOptions,
  type MizanMutationOptions,
  type MizanQueryKey,
  type MizanQueryOptions,
  type MizanReadOptions,
} from "./queryOptions.js"
export { MizanRealtime, type MizanRealtimeOptions } from "./realtime.js"
export { defaultSocketUrl, MizanSocket, type MizanSocketOptions, type SocketPush, type SocketStatus, type WebSocketLike } from "./socket.js"
export { callOverSocket, isSocketFunction, SocketCalls, type CallTransport } from "./socketCalls.js"
export {
  fieldErrors,
  FormController,
  initialData,
  pyStrip,
  zodField,
  zodForm,
  type FieldKind,
  type FieldPattern,
  type FieldRules,
  type FieldSchema,
  type FieldValue,
  type FormControllerOptions,
  type FormErrors,
  type FormSchema,
  type FormState,
  type SubmitOutcome,
} from "./forms/index.js"
