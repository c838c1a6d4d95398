export {
  type BumpContext,
  type BumpResult,
  bumpContent,
  readRevision,
  restoreContent,
  setRevision,
} from "./bump-content.js";
export { BumpError } from "./bump-error.js";
export { type BumpFilesOptions, bumpFiles, type FilesBump } from "./bump-files.js";
export { type KeyStep, parseKeyPath } from "./key-path.js";
