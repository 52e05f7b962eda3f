"""A search's words as SQL: the products matching every word (the word index of
catalogue/migrations/0006), ranked by the words of their name, or spelt like the query
(pg_trgm's typo tolerance)."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    QuerySet,
    Value,
)

from marketplace.core.db import prepared_cursor
from shops.models import Product

# A one-letter typo in a query of a few words keeps 0.7 to 0.9 of its trigrams.
TYPO_MIN_SIMILARITY = 0.7


class _SpeltLike(Func):
    """pg_trgm's `text %> query`: the query is similar to a part of the text, answered
    from a trigram index on the text; PostgreSQL only."""

    arg_joiner = " %%> "
    template = "(%(expressions)s)"
    arity = 2
    output_field = BooleanField()


class WordSimilarity(Func):
    """pg_trgm's `word_similarity(query, text)`: how well the query matches a part of
    the text, forgiving a typo; PostgreSQL only."""

    function = "word_similarity"
    arity = 2
    output_field = FloatField()


# A query word starting more product words than this is looked up as a prefix instead:
# beyond a few dozen alternatives, one prefix scan costs less than their OR.
MAX_WORD_EXPANSIONS = 64


def _word_expansions(words: tuple[str, ...]) -> dict[str, list[str] | None]:
    """The words of product documents (`catalogue_search_word`) that each query word
    starts, or None for a word that starts more than MAX_WORD_EXPANSIONS of them. One
    fixed statement whatever the words (an array): prepared once per connection."""
    with prepared_cursor() as cursor:
        cursor.execute(
            "SELECT q.word, (SELECT array_agg(w.word) FROM ("
            "  SELECT word FROM catalogue_search_word"
            "  WHERE word >= q.word AND word < q.word || chr(1114111)"
            "  ORDER BY word LIMIT %s) w) "
            "FROM unnest(%s::text[]) AS q(word)",
            [MAX_WORD_EXPANSIONS + 1, list(words)],
        )
        found = dict(cursor.fetchall())
    return {
        word: None if len(found.get(word) or ()) > MAX_WORD_EXPANSIONS else found.get(word) or []
        for word in words
    }


def _document_query(words: tuple[str, ...], expansions: dict[str, list[str] | None]) -> str | None:
    """The tsquery of the products matching every word (each word: one of the document
    words it starts), or None when a word starts none."""
    groups = []
    for word in words:
        expanded = expansions[word]
        if expanded is None:
            groups.append(f"'{word}':*")
        elif not expanded:
            return None
        else:
            groups.append("(" + " | ".join(f"'{w}'" for w in expanded) + ")")
    return " & ".join(groups)


class _MatchesDocument(Expression):
    """`catalogue_search_document(search_text, catalogue_seller_text) @@ query`: the
    expression of the product word index (catalogue/migrations/0006), so PostgreSQL
    answers it from that index. `catalogue_seller_text` is a column of the catalogue's
    migrations, not of the model: named here, in SQL, on the query's product table.

    What a search filters or orders by the product's other columns reads it; a search
    alone reads the search entries instead (`search_first_ids`)."""

    output_field = BooleanField()

    def __init__(self, tsquery: str):
        super().__init__()
        self.tsquery = tsquery

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return (
            f"catalogue_search_document({table}.search_text, {table}.catalogue_seller_text)"
            " @@ %s::tsquery",
            (self.tsquery,),
        )


class _NameRank(Func):
    """How many of the query words start a word of the product's name
    (`' ' || search_name LIKE '% word%'`, one CASE per word): name matches rank above
    matches in the description, shop or province only. One expression rather than a
    tree of Case/When per word: a search compiles it in two queries."""

    output_field = IntegerField()

    def __init__(self, words: tuple[str, ...]):
        super().__init__(F("search_name"))
        self.words = words

    def as_sql(self, compiler, connection, **extra_context):
        name_sql, name_params = compiler.compile(self.get_source_expressions()[0])
        return _name_rank_sql(name_sql, name_params, self.words)


def _name_rank_sql(name_sql: str, name_params, words: tuple[str, ...]) -> tuple[str, list]:
    case = f"CASE WHEN (' ' || {name_sql}) LIKE %s THEN 1 ELSE 0 END"
    params: list = []
    for word in words:
        params += [*name_params, f"% {word}%"]
    return "(" + " + ".join([case] * len(words)) + ")", params


def _apply_search(
    queryset: QuerySet[Product], words: tuple[str, ...], *, typo: bool = False
) -> QuerySet[Product]:
    """Products with every word (word order free), ranked by how many of the words
    their name has: one tsquery over the word index.

    `typo`: the names spelt like the query instead, forgiving a typo. The
    listing asks for it when the words as typed find nothing (`SearchRows`)."""
    rank = _NameRank(words)
    if not typo:
        document_query = _document_query(words, _word_expansions(words))
        if document_query is None:
            # A word starts no word of any product: nothing as typed, known without
            # asking the index (an empty IN list is never sent to the database).
            return queryset.filter(pk__in=[]).annotate(search_rank=rank)
        return queryset.filter(_MatchesDocument(document_query)).annotate(search_rank=rank)
    # `search_name %> query` from the trigram index on the stored name; the stricter
    # bound keeps most queries with one wrong word out ("nuoc mam non la" is not a typo
    # of "nuoc mam phu quoc"); ranked by name words, then by that likeness.
    text = " ".join(words)
    similarity = WordSimilarity(Value(text), F("search_name"))
    return (
        queryset.alias(typo_similarity=similarity)
        .filter(_SpeltLike(F("search_name"), Value(text)), typo_similarity__gte=TYPO_MIN_SIMILARITY)
        .annotate(search_rank=rank + similarity)
    )
