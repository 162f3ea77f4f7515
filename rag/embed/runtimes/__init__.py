"""Document runtimes: MiniLM's token states for a batch of texts, from the same weights.

Each runtime has `name`, `precision` (what it really runs), `workers` (how many threads
may call it at once) and `states(texts) -> TokenStates`. `torch` runs the loaded
sentence-transformers model (fp32 or bf16 autocast); `ctranslate2` a converted copy, one
single-threaded replica per core; `openvino` a graph converted in memory (bf16, fp32, or
int8 matrix products quantized once by NNCF), one stream per core. `choose` picks one
and checks it against torch fp32 before it is used.
"""
