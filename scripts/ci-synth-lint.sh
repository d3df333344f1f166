#!/usr/bin/env bash
# Synthesises the stacks of two stages, as `cdk deploy` would build them (functions bundled by the
# local esbuild, offline, no Docker), and lints both templates with cfn-lint when it is installed.
#
#   dev   the defaults: shared-throughput consumers, every stateful resource deleted with the stage
#   prod  examples/prod.json: provisioned streams, enhanced fan-out consumers, data kept
#
# Fails on any cfn-lint error and on any warning but W3005 ("DependsOn is redundant"): CDK writes
# an explicit DependsOn beside the Ref or GetAtt that already orders two resources (for example a
# role's default policy and the function that uses the role), which CloudFormation accepts and
# cfn-lint reports as redundant. Without cfn-lint on the PATH, it says so and checks the synth only.
#
#   scripts/ci-synth-lint.sh            (npm run ci:synth-lint)
#   KEEP_TEMPLATES=dir scripts/ci-synth-lint.sh    keeps the cloud assemblies in dir
set -euo pipefail
cd "$(dirname "$0")/.."

out="${KEEP_TEMPLATES:-$(mktemp -d)}"
[ -n "${KEEP_TEMPLATES:-}" ] || trap 'rm -rf "$out"' EXIT
# No notices or telemetry: CI has no network beyond the package registries.
export CDK_DISABLE_CLI_TELEMETRY=true

synth() {
  local stage=$1
  shift
  echo "synth: stage $stage $*"
  npx cdk synth --quiet --no-notices --output "$out/$stage" -c "stage=$stage" "$@"
}
synth dev
synth prod -c config=examples/prod.json

templates=("$out/dev/MicroMoments-dev.template.json" "$out/prod/MicroMoments-prod.template.json")
for t in "${templates[@]}"; do [ -s "$t" ] || { echo "synth: $t was not written" >&2; exit 1; }; done

if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint: not installed, templates not linted (pip install cfn-lint to lint them)"
  exit 0
fi
echo "cfn-lint $(cfn-lint --version 2>&1 | awk '{print $2}'): ${#templates[@]} templates, failing on errors and warnings but W3005"
cfn-lint --non-zero-exit-code warning --ignore-checks W3005 -- "${templates[@]}"
echo "cfn-lint: no error, no warning"
