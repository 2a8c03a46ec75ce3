// Read by mizan-generate (`mizan-dev generate`): how to get the backend's manifest, and where the typed client goes.
export default {
  schemaCommand: ["python", "backend/manage.py", "export_mizan_schema"], // run from this file's folder
  env: {}, // added to the command's environment
  outDir: "frontend/src/api", // relative to this file
}
