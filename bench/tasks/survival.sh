#!/bin/bash
# How many planted mutants per kind survive a real test filter: plants every defect the operators find in
# src/Plumbline.Core/Analysis/Tokenizer.cs and keeps those its real xunit tests (TokenizerTests.cs) catch.
# The test command compiles both with the SDK's csc (no MSBuild, ~8 s a mutant here) and runs every [Fact]
# with a small reflection runner (Runner.cs.txt). Usage: bench/tasks/survival.sh [SEED]  (from the repo root,
# after `dotnet build src/Plumbline.Cli -c Release`)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root/src/Plumbline.Core/Analysis/Tokenizer.cs" "$root/tests/Plumbline.Core.Tests/Analysis/TokenizerTests.cs" "$work/"
cp "$root/bench/tasks/Runner.cs.txt" "$work/Runner.cs"
mkdir -p "$work/lib"
for p in xunit.assert/*/lib/net6.0/xunit.assert.dll xunit.extensibility.core/*/lib/netstandard1.1/xunit.core.dll xunit.abstractions/*/lib/netstandard2.0/xunit.abstractions.dll; do
  cp $(ls ~/.nuget/packages/$p | tail -1) "$work/lib/"
done
echo '{"runtimeOptions":{"tfm":"net10.0","framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"}}}' > "$work/run.runtimeconfig.json"
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
csc=$(ls "$dotnet_root"/sdk/*/Roslyn/bincore/csc.dll | tail -1)
refs=$(ls -d "$dotnet_root"/packs/Microsoft.NETCore.App.Ref/*/ref/net10.0 | tail -1)
cat > "$work/test.sh" <<SH
#!/bin/sh
set -e
out=\$(mktemp -d)
trap 'rm -rf "\$out"' EXIT
dotnet $csc -nologo -nullable:enable -langversion:preview -t:exe -out:\$out/run.dll \$(for f in $refs/*.dll; do printf -- '-r:%s ' \$f; done) -r:lib/xunit.assert.dll -r:lib/xunit.core.dll -r:lib/xunit.abstractions.dll *.cs >/dev/null
cp lib/*.dll run.runtimeconfig.json \$out/
dotnet exec \$out/run.dll
SH
dotnet "$root/src/Plumbline.Cli/bin/Release/net10.0/plumb.dll" tasks bugs make --source "$work" --include Tokenizer.cs \
  --n 1000 --seed "${1:-1}" --test-command "sh test.sh" --test-timeout 120 --out "$work/tasks.jsonl" --json
