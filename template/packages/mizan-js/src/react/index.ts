export { createContextProvider, pascalCase, type ContextProvider } from "./createContextProvider.js"
export { MizanContext, type MizanContextProps } from "./MizanContext.js"
export { useMizanClient } from "./useMizanClient.js"
export { useMizanChannel, type MizanChannel, type MizanChannelOptions } from "./useMizanChannel.js"
export { useMizanContextQuery } from "./useMizanContextQuery.js"
export { useMizanMutation, type MizanMutation } from "./useMizanMutation.js"
export { useMizanRealtime, useMizanSocketStatus } from "./useMizanRealtime.js"
// One import site for React apps: the kernel (MizanError, callMizan, options factories) comes along.
export * from "../kernel/index.js"
