"""Clustering benchmark on ../shared/corpus/clustering/ (UCI News Aggregator window, gold story ids).

    python bench/clustering.py

Prints pairwise and BCubed precision, recall and F1 for newsdesk's story clustering and for a
TF-IDF average-link baseline, and the time each takes.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path

from newsdesk.analyse.clustering import OfflineItem, bcubed, cluster_offline, pairwise

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "clustering" / "uci-news-aggregator-2014-03-10_12.jsonl"


def baseline(items: list[OfflineItem], cut: float = 0.9) -> list[str]:
    """TF-IDF over the titles, average-link agglomerative clustering cut at cosine distance ``cut``."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    matrix = TfidfVectorizer(stop_words="english").fit_transform([i.title for i in items])
    distances = np.clip(1.0 - cosine_similarity(matrix), 0.0, None)
    np.fill_diagonal(distances, 0.0)
    labels = fcluster(linkage(squareform(distances, checks=False), method="average"), t=cut, criterion="distance")
    return [str(label) for label in labels]


def main() -> None:
    if not CORPUS.exists():
        sys.exit(f"skipped: {CORPUS} not found (the shared corpus sits beside the repository)")
    rows = [json.loads(line) for line in CORPUS.read_text().splitlines()]
    items = [OfflineItem(r["id"], r["title"], r.get("text") or "", datetime.fromisoformat(r["date"].replace("Z", "+00:00")),
                         r["source"]) for r in rows]
    gold = [r["gold_cluster"] for r in rows]
    print(f"{len(items)} headlines, {len(set(gold))} gold stories")
    def ours() -> list[str]:
        assigned = cluster_offline(items)
        return [assigned[i.id] for i in items]

    for name, run in (("newsdesk", ours), ("baseline", lambda: baseline(items))):
        started = time.perf_counter()
        predicted = run()
        elapsed = time.perf_counter() - started
        bp, br, bf = bcubed(gold, predicted)
        pp, pr, pf = pairwise(gold, predicted)
        print(f"{name:<9} stories {len(set(predicted)):5d}  BCubed P {bp:.3f} R {br:.3f} F1 {bf:.3f}  "
              f"pairwise P {pp:.3f} R {pr:.3f} F1 {pf:.3f}  time {elapsed:.2f} s")


if __name__ == "__main__":
    main()
