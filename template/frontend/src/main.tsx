// The browser's entry: hydrates the page Django rendered (the HTML from the SSR worker, or the client-rendered
// shell when the worker was off), with the page's props and context data from its <script id="mizan-page">.
import { hydrateMizanPage } from "mizan-js/ssr/client"
import { pages } from "./pages"
import "./styles.css"

hydrateMizanPage(pages)
