"""Dense features: static word embeddings shipped inside the ``wordllama`` package, read offline.

wordllama (MIT) ships a 256-dimension token embedding table (distilled from Llama 2's input
embeddings) and its tokenizer as package files. newsdesk reads those two files directly with
``safetensors`` and ``tokenizers``; it never calls wordllama's loader, which would try to
download a missing file from a model hub. A text's vector is the mean of its tokens' vectors,
scaled to unit length.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from newsdesk.errors import NewsdeskError

_WEIGHTS = ("weights", "l2_supercat_256.safetensors")
_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")
DIMENSIONS = 256


class EmbeddingsUnavailable(NewsdeskError):
    """The packaged word embeddings cannot be read."""


@dataclass(frozen=True)
class WordVectors:
    """A tokenizer and the embedding table its token ids index."""

    tokenizer: object  # tokenizers.Tokenizer (untyped extension module)
    table: np.ndarray

    def embed(self, texts: list[str]) -> np.ndarray:
        """One unit-length row per text: the mean of its tokens' vectors (zeros for an empty text)."""
        out = np.zeros((len(texts), self.table.shape[1]), dtype=np.float32)
        for row, encoding in enumerate(self.tokenizer.encode_batch(texts, add_special_tokens=False)):
            if encoding.ids:
                out[row] = self.table[encoding.ids].mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


@cache
def load_word_vectors() -> WordVectors:
    """The embedding table and tokenizer from the installed wordllama package (once per process)."""
    try:
        from safetensors import safe_open
        from tokenizers import Tokenizer

        package = resources.files("wordllama")
        tokenizer = Tokenizer.from_file(str(package.joinpath(*_TOKENIZER)))
        with safe_open(str(package.joinpath(*_WEIGHTS)), framework="np") as weights:
            table = np.ascontiguousarray(weights.get_tensor("embedding.weight"), dtype=np.float32)
    except Exception as exc:  # tokenizers and safetensors raise plain Exception subclasses
        raise EmbeddingsUnavailable(f"word embeddings: cannot read them from the wordllama package ({exc}); "
                                    "reinstall newsdesk (pip install -e .)") from exc
    return WordVectors(tokenizer, table)


class EmbeddingFeatures(BaseEstimator, TransformerMixin):
    """Mean word vector of each text, times ``weight`` (its scale beside the TF-IDF columns)."""

    def __init__(self, weight: float = 1.0) -> None:
        self.weight = weight

    def fit(self, texts: list[str], y: object = None) -> EmbeddingFeatures:
        return self

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        return sparse.csr_matrix(load_word_vectors().embed(list(texts)) * self.weight)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.asarray([f"embedding:{i}" for i in range(DIMENSIONS)], dtype=object)
