// Reads rendered Kubernetes objects (YAML, several documents) on stdin and validates each against the
// published schema of its kind: the Kubernetes API's (kubernetes-models) and the operators' CRDs
// (@kubernetes-models/keda, @kubernetes-models/cloudnative-pg). Prints one line per object, and the
// kinds no package here describes under "unchecked:"; exits 1 when any object is invalid.
import { parseAllDocuments } from "yaml";

const packages = {
  "postgresql.cnpg.io": "@kubernetes-models/cloudnative-pg",
  "keda.sh": "@kubernetes-models/keda",
};

async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const module = group === null ? `kubernetes-models/v1/${kind}`
    : packages[group] ? `${packages[group]}/${group}/${version}/${kind}`
    : `kubernetes-models/${group}/${version}/${kind}`;
  try {
    return (await import(module))[kind];
  } catch (e) {
    if (e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED" || e.code === "ERR_MODULE_NOT_FOUND") return null;
    throw e;
  }
}

let input = "";
for await (const chunk of process.stdin) input += chunk;

let invalid = 0;
const unchecked = [];
for (const document of parseAllDocuments(input)) {
  const object = document.toJS();
  if (!object) continue;
  const name = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
  const Model = await modelOf(object.apiVersion, object.kind);
  if (!Model) {
    unchecked.push(name);
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`valid: ${name}`);
  } catch (e) {
    invalid++;
    console.log(`invalid: ${name}: ${e.message}`);
  }
}

console.log(`unchecked: ${unchecked.join("; ")}`);
process.exit(invalid === 0 ? 0 : 1);
