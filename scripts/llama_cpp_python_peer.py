"""llama-cpp-python on the prompts of `bench llm`: the peer that scripts/bench-peer runs.

Reads the prompt texts (a JSON array, from `eq_negotiator bench llm-prompts`), loads the model
(and the LoRA adapter, when given) with the bare loop's context, batch and threads, and for each one,
as the project's bare loop does with a fresh cache: tokenizes it, decodes it whole, then
generates greedily until an end-of-generation token or --generate tokens. Prints one JSON array,
one object per prompt, in the fields of the bare loop's report (times in milliseconds, wall
clock, Python's own work included: it is what a user of the binding gets).
"""

import argparse
import json
import time

import llama_cpp
from llama_cpp import Llama


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--prompts", required=True, help="JSON array of prompt texts")
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--context", type=int, required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--generate", type=int, required=True)
    parser.add_argument("--adapter", default="", help="LoRA adapter GGUF applied over the model")
    parser.add_argument("--adapter-scale", type=float, default=1.0)
    args = parser.parse_args()
    with open(args.prompts) as f:
        texts = json.load(f)
    llm = Llama(
        model_path=args.model,
        n_ctx=args.context,
        n_batch=args.batch,
        n_ubatch=args.batch,
        n_threads=args.threads,
        n_threads_batch=args.threads,
        lora_path=args.adapter or None,
        lora_scale=args.adapter_scale,
        verbose=False,
    )
    vocab = llama_cpp.llama_model_get_vocab(llm.model)
    turns = []
    for text in texts:
        started = time.perf_counter()
        tokens = llm.tokenize(text.encode(), add_bos=False, special=True)
        llm.reset()
        llm.eval(tokens)
        prompt_ms = (time.perf_counter() - started) * 1e3
        started = time.perf_counter()
        generated = 0
        while generated < args.generate:
            token = llm.sample(temp=0.0)
            if llama_cpp.llama_vocab_is_eog(vocab, token):
                break
            llm.eval([token])
            generated += 1
        turns.append({
            "prompt_tokens": len(tokens),
            "decoded_prompt_tokens": len(tokens),
            "prompt_ms": prompt_ms,
            "generated_tokens": generated,
            "generate_ms": (time.perf_counter() - started) * 1e3,
        })
    print(json.dumps(turns))


if __name__ == "__main__":
    main()
