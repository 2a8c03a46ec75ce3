// The server side of Mizan's SSR: the worker entry and what it renders. Runs in Bun (or Node) only.
export { describeAddress, parseAddress, type ListenAddress } from "./address.js"
export type { RenderErrorKind, RenderRequest, WorkerReply, WorkerRequest } from "./protocol.js"
export { pageElement, renderRequest, type ComponentRegistry, type PageComponent } from "./render.js"
export { READY_LINE, serveMizanSsr, type ServeOptions } from "./serve.js"
