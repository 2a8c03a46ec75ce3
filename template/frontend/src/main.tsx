import { StrictMode } from "react"
import { createRoot } from "react-dom/client"
import { App } from "./App"
import "./styles.css"

const root = document.getElementById("root")
if (!root) {
  throw new Error('The page has no <div id="root">: backend/config/templates/index.html provides it.')
}
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
