#!/usr/bin/env bash
# Prints one JSON object per model: a random checkpoint in the HF layout and config of the real model
# (BitNet b1.58 2B-4T: packed ternary projections, bf16 embedding; Phi-3-mini-4k: bf16; RetNet-1.3B, torchscale's
# retnet_xl arch: D 2048, Dv = F 3456, 8 heads, 24 layers, vocab 32000, bf16), written by
# `meshemu make-checkpoint --dtype bf16`, generating on the stacked-3d-32x32 preset (16-token prompt in blocks
# of 4, RetNet's retention recurrent over them, DECODE generated tokens after the first) in full payload, beside the timing-mode run of the same
# checkpoint in the same invocation: the reference check (max relative error of the logits, tokens
# identical), TTFT and TPOT of both (payload must not change timing), wall seconds per generated token,
# the run's peak heap (report), the JVM's peak resident memory (GNU time) and make-checkpoint's wall seconds;
# with --nodes N, each node's mapped bytes of the checkpoint.
# Full size takes long on a shared 2-core machine: LAYERS=2 runs the real widths and vocabularies with 2
# decoder layers (what docs/PERFORMANCE.md reports); unset, every layer.
# Usage: [LAYERS=n] [DECODE=n] [MODELS="bitnet phi3 retnet"] bench/full-payload.sh [meshemu run options ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
flock /tmp/meshemu-build.lock ./meshemu --version >/dev/null # builds when sources changed, under the shared lock
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
decode="${DECODE:-16}"
prompt="[1, 450, 4996, 17354, 1701, 432, 17204, 975, 278, 17366, 11203, 29889, 910, 338, 263, 1243]"
for model in ${MODELS:-bitnet phi3 retnet}; do
  extra=""
  case "$model" in
    bitnet) layers="${LAYERS:-30}"
      config='{"model_type": "bitnet", "hidden_size": 2560, "intermediate_size": 6912, "num_hidden_layers": '"$layers"',
        "num_attention_heads": 20, "num_key_value_heads": 5, "vocab_size": 128256, "hidden_act": "relu2",
        "rms_norm_eps": 1e-05, "rope_theta": 500000.0, "max_position_embeddings": 4096, "tie_word_embeddings": true,
        "torch_dtype": "bfloat16", "quantization_config": {"quant_method": "bitnet", "linear_class": "autobitlinear", "quantization_mode": "offline"}}' ;;
    phi3) layers="${LAYERS:-32}"
      config='{"model_type": "phi3", "hidden_size": 3072, "intermediate_size": 8192, "num_hidden_layers": '"$layers"',
        "num_attention_heads": 32, "num_key_value_heads": 32, "vocab_size": 32064, "hidden_act": "silu", "rms_norm_eps": 1e-05,
        "rope_theta": 10000.0, "rope_scaling": null, "sliding_window": 2047, "max_position_embeddings": 4096,
        "tie_word_embeddings": false, "torch_dtype": "bfloat16"}' ;;
    retnet) layers="${LAYERS:-24}"
      # torchscale's retnet_xl (its 1.3B) in the current no-bias layout; the vocabulary is the tokenizer's, not the arch's
      config='{"model_type": "retnet", "decoder_embed_dim": 2048, "decoder_value_embed_dim": 3456, "decoder_retention_heads": 8,
        "decoder_ffn_embed_dim": 3456, "decoder_layers": '"$layers"', "vocab_size": 32000, "activation_fn": "swish",
        "layernorm_eps": 1e-06, "torch_dtype": "bfloat16"}'
      extra=", retention: recurrent" ;; # the parallel and chunkwise forms take the prompt in one block
    *) echo "unknown model $model" >&2; exit 2 ;;
  esac
  echo "$config" > "$out/$model-config.json"
  flock /tmp/meshemu-build.lock /usr/bin/time -f "%e" -o "$out/$model-make.s" \
    ./meshemu make-checkpoint --family "$model" --config "$out/$model-config.json" --seed 1 --dtype bf16 --out "$out/$model-ckpt" >/dev/null
  cat > "$out/$model.yaml" <<YAML
name: $model-full-payload
seed: 7
hardware: {preset: stacked-3d-32x32}
model: {family: $model, checkpoint: '$out/$model-ckpt'}
workload: {kind: generate, prompt: $prompt, prefillBlock: 4, decodeSteps: $decode, mapping: auto$extra}
YAML
  for payload in full timing; do
    flock /tmp/meshemu-build.lock /usr/bin/time -f "%M" -o "$out/$model-$payload.rss" \
      ./meshemu run "$out/$model.yaml" --out "$out/$model-$payload" --set run.payload=$payload "$@" >/dev/null
  done
  python3 - "$out" "$model" "$layers" "$decode" <<'PY'
import json, os, sys
out, model, layers, decode = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
full = json.load(open(f"{out}/{model}-full/report.json"))
timing = json.load(open(f"{out}/{model}-timing/report.json"))
rss = {p: int(open(f"{out}/{model}-{p}.rss").read().split()[-1]) * 1024 for p in ("full", "timing")}
g, t = full["generation"], timing["generation"]
ckpt = sum(os.path.getsize(os.path.join(f"{out}/{model}-ckpt", f)) for f in os.listdir(f"{out}/{model}-ckpt"))
print(json.dumps({
    "model": model, "layers": layers, "promptTokens": 16, "generatedTokens": decode + 1, "checkpointBytes": ckpt,
    "makeCheckpointWallSeconds": float(open(f"{out}/{model}-make.s").read().split()[-1]),
    "reference": full["reference"],
    "full": {"timeToFirstTokenPs": g["timeToFirstTokenPs"], "timePerOutputTokenPs": g["timePerOutputTokenPs"],
             "wallSeconds": round(full["wallSeconds"], 1), "wallSecondsPerGeneratedToken": round(full["wallSeconds"] / (decode + 1), 2),
             "peakHeapBytes": full["peakHeapBytes"], "peakRssBytes": rss["full"],
             "weightsMappedBytes": full.get("weights", {}).get("mappedBytes", 0),
             # over several nodes (--nodes N): each node's share; peak RSS above is the launcher's alone
             "nodeWeightsMappedBytes": [n["weightsMappedBytes"] for n in full.get("cluster", {}).get("placement", [])]},
    "timing": {"timeToFirstTokenPs": t["timeToFirstTokenPs"], "timePerOutputTokenPs": t["timePerOutputTokenPs"],
               "wallSeconds": round(timing["wallSeconds"], 1), "peakHeapBytes": timing["peakHeapBytes"], "peakRssBytes": rss["timing"]},
    "timingUnchangedByPayload": g["timeToFirstTokenPs"] == t["timeToFirstTokenPs"] and g["timePerOutputTokenPs"] == t["timePerOutputTokenPs"],
}))
PY
done
