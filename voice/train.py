"""Trains the voice adapter: a LoRA over the default model that writes the lead of a reply.

Reads the examples `eq_negotiator voice-corpus` prints (chat messages as the speaker sends
them, and the lead a person wrote), fine-tunes a LoRA on the value, output and feed-forward
projections of the dequantized GGUF model with the loss on the lead only, and writes the
adapter as a GGUF file llama.cpp loads over the quantized model (llm.adapter_path).

The query and key projections are left alone: llama.cpp's GGUF holds them permuted for its
rotary layout, and an adapter on them would need the same permutation.

Run by scripts/train-voice; every choice is a flag with its default here, and the seed fixes
the run.
"""

import argparse
import hashlib
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer

TARGETS = {
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}


def render(messages):
    """The prompt as llama.cpp renders it with the model's chatml template."""
    text = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
    return text + "<|im_start|>assistant\n"


def encode(tokenizer, example, max_tokens):
    prompt = tokenizer(render(example["messages"]), add_special_tokens=False)["input_ids"]
    target = tokenizer(example["target"] + "<|im_end|>", add_special_tokens=False)["input_ids"]
    ids = (prompt + target)[-max_tokens:]
    labels = ([-100] * len(prompt) + target)[-max_tokens:]
    return ids, labels


def batches(items, size, pad_id):
    for start in range(0, len(items), size):
        chunk = items[start : start + size]
        width = max(len(ids) for ids, _ in chunk)
        ids = torch.full((len(chunk), width), pad_id)
        labels = torch.full((len(chunk), width), -100)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        for row, (i, l) in enumerate(chunk):
            ids[row, : len(i)] = torch.tensor(i)
            labels[row, : len(l)] = torch.tensor(l)
            mask[row, : len(i)] = 1
        yield ids, labels, mask


def lead_loss(model, ids, labels, mask):
    """Cross-entropy on the lead's tokens only: the vocabulary projection runs only where there
    is a label, which saves most of a step's time on these long prompts."""
    causal = model.base_model.model
    hidden = causal.model(input_ids=ids, attention_mask=mask).last_hidden_state
    shifted = labels[:, 1:]
    keep = shifted != -100
    logits = causal.lm_head(hidden[:, :-1][keep])
    return F.cross_entropy(logits.float(), shifted[keep])


def gguf_name(peft_name):
    """base_model.model.model.layers.3.mlp.up_proj.lora_A.default.weight -> blk.3.ffn_up.weight.lora_a"""
    parts = peft_name.split(".")
    layer = parts[parts.index("layers") + 1]
    for hf, gg in TARGETS.items():
        if f".{hf}." in peft_name:
            side = "lora_a" if ".lora_A." in peft_name else "lora_b"
            return f"blk.{layer}.{gg}.weight.{side}"
    raise ValueError(f"unexpected adapter tensor {peft_name}")


def write_adapter(model, path, alpha, provenance):
    import gguf

    writer = gguf.GGUFWriter(path, "llama")
    writer.add_string("general.type", "adapter")
    writer.add_string("general.name", "eq-negotiator voice adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", float(alpha))
    for key, value in provenance.items():
        writer.add_string(f"eq_negotiator.{key}", str(value))
    count = 0
    for name, param in model.named_parameters():
        if "lora_" in name:
            writer.add_tensor(gguf_name(name), param.detach().to(torch.float16).numpy())
            count += 1
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return count


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--examples", required=True)
    p.add_argument("--base", required=True, help="the GGUF model the adapter is for")
    p.add_argument("--out", required=True)
    p.add_argument("--steps", type=int, default=150)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--lr", type=float, default=3e-4)
    p.add_argument("--rank", type=int, default=8)
    p.add_argument("--alpha", type=float, default=16.0)
    p.add_argument("--max-tokens", type=int, default=320)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--held-out", type=float, default=0.05)
    p.add_argument(
        "--from-layer",
        type=int,
        default=10,
        help="adapt layers from this one up: the lower layers keep reading the prompt as they do",
    )
    a = p.parse_args()

    random.seed(a.seed)
    np.random.seed(a.seed)
    torch.manual_seed(a.seed)
    torch.set_num_threads(os.cpu_count() or 2)

    folder, name = os.path.split(os.path.abspath(a.base))
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    model = get_peft_model(
        model,
        LoraConfig(
            r=a.rank,
            lora_alpha=a.alpha,
            lora_dropout=0.05,
            target_modules=[t.split(".")[-1] for t in TARGETS],
            layers_to_transform=list(range(a.from_layer, model.config.num_hidden_layers)),
            bias="none",
            task_type="CAUSAL_LM",
        ),
    )
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)

    with open(a.examples) as f:
        examples = [json.loads(line) for line in f if line.strip()]
    random.shuffle(examples)
    held = max(1, int(len(examples) * a.held_out))
    test = [encode(tokenizer, e, a.max_tokens) for e in examples[:held]]
    train = [encode(tokenizer, e, a.max_tokens) for e in examples[held:]]
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    print(f"{len(train)} training and {len(test)} held-out examples; {trainable} trainable parameters", flush=True)

    def held_out_loss():
        model.eval()
        total, n = 0.0, 0
        with torch.no_grad():
            for ids, labels, mask in batches(test, a.batch, pad):
                total += lead_loss(model, ids, labels, mask).item() * len(ids)
                n += len(ids)
        model.train()
        return total / max(n, 1)

    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=a.lr)
    warmup = max(1, a.steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / warmup) * max(0.1, 1 - s / a.steps)
    )
    before = held_out_loss()
    print(f"held-out loss before: {before:.3f}", flush=True)
    model.train()
    started = time.time()
    order = []
    for step in range(a.steps):
        if not order:
            order = list(range(len(train)))
            random.shuffle(order)
        pick = [train[order.pop()] for _ in range(min(a.batch, len(order)))]
        ids, labels, mask = next(batches(pick, a.batch, pad))
        loss = lead_loss(model, ids, labels, mask)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        if step % 10 == 0 or step + 1 == a.steps:
            print(f"step {step + 1}/{a.steps} loss {loss.item():.3f} ({time.time() - started:.0f} s)", flush=True)
    after = held_out_loss()
    print(f"held-out loss after: {after:.3f} (before {before:.3f})", flush=True)
    tensors = write_adapter(
        model,
        a.out,
        a.alpha,
        {
            "base_sha256": sha256(a.base),
            "examples_sha256": sha256(a.examples),
            "steps": a.steps,
            "batch": a.batch,
            "lr": a.lr,
            "rank": a.rank,
            "seed": a.seed,
            "from_layer": a.from_layer,
            "held_out_loss_before": f"{before:.4f}",
            "held_out_loss_after": f"{after:.4f}",
        },
    )
    print(f"wrote {a.out}: {tensors} tensors, {os.path.getsize(a.out)} bytes", flush=True)


if __name__ == "__main__":
    main()
