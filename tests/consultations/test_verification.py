"""Chains of consents checked as plain values: no gaps, one current, agreement with history."""

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from consultations.verification import Entry, chain_problems


def chain(household: int, proposal: int, length: int, first_id: int) -> list[Entry]:
    """A household's answers to a proposal, each replacing the one before."""
    entries, previous = [], None
    for pk in range(first_id, first_id + length):
        entries.append(Entry(pk, household, proposal, previous, decision="agree"))
        previous = pk
    return entries


def record(*chains: list[Entry]) -> list[Entry]:
    return [entry for entries in chains for entry in entries]


def history(entries: list[Entry]) -> dict[int, Entry]:
    return {entry.id: entry for entry in entries}


# lengths of the chains of several households, each at least one answer long
chain_lengths = st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=6)


def chains_of(lengths: list[int]) -> list[list[Entry]]:
    chains, next_id = [], 1
    for household, length in enumerate(lengths, start=1):
        chains.append(chain(household, 7, length, next_id))
        next_id += length
    return chains


@given(chain_lengths)
def test_sound_chains_that_agree_with_their_history_have_no_problems(lengths):
    entries = record(*chains_of(lengths))
    assert chain_problems(entries, history(entries)) == []


@given(chain_lengths, st.data())
def test_deleting_the_latest_answer_of_any_chain_is_detected(lengths, data):
    chains = chains_of(lengths)
    entries = record(*chains)
    victim = data.draw(st.sampled_from(chains))[-1]
    left = [entry for entry in entries if entry != victim]
    problems = chain_problems(left, history(entries))
    assert [str(p) for p in problems] == [
        f"consent {victim.id} (household {victim.household_id}, proposal 7) "
        "is in the history but gone from the table: deleted"
    ]
    assert problems[0].chain == victim.chain


@given(chain_lengths.filter(lambda lengths: max(lengths) >= 2), st.data())
def test_a_broken_link_is_a_gap_and_leaves_two_current_answers(lengths, data):
    chains = [c for c in chains_of(lengths) if len(c) >= 2]
    entries = record(*chains)
    victim = data.draw(st.sampled_from([e for e in entries if e.supersedes_id is not None]))
    cut = [replace(e, supersedes_id=999) if e == victim else e for e in entries]
    text = " | ".join(str(p) for p in chain_problems(cut, history(cut)))
    assert f"consent {victim.id} replaces consent 999, which is not in the chain (a gap)" in text
    assert "2 current consents instead of one" in text


@given(chain_lengths, st.data(), st.sampled_from(["decision", "method", "witness_id"]))
def test_a_stored_fact_that_differs_from_the_creation_record_is_detected(lengths, data, fact):
    entries = record(*chains_of(lengths))
    victim = data.draw(st.sampled_from(entries))
    changed = [replace(e, **{fact: "other"}) if e == victim else e for e in entries]
    assert [str(p) for p in chain_problems(changed, history(entries))] == [
        f"consent {victim.id} differs from its creation record in {fact}"
    ]


def test_a_consent_without_a_creation_record_is_reported():
    entries = chain(1, 7, 2, 1)
    assert [str(p) for p in chain_problems(entries, history(entries[:1]))] == [
        "consent 2 has no creation record in the history"
    ]


def test_two_answers_starting_one_chain_are_reported():
    entries = [Entry(1, 1, 7, None), Entry(2, 1, 7, None)]
    text = [str(p) for p in chain_problems(entries, history(entries))]
    assert text == [
        "household 1, proposal 7: 2 consents start the chain instead of one",
        "household 1, proposal 7: 2 current consents instead of one",
    ]


def test_an_answer_replaced_twice_is_reported():
    entries = [Entry(1, 1, 7, None), Entry(2, 1, 7, 1), Entry(3, 1, 7, 1)]
    text = [str(p) for p in chain_problems(entries, history(entries))]
    assert "household 1, proposal 7: consent 1 is replaced 2 times" in text
    assert "household 1, proposal 7: 2 current consents instead of one" in text


def test_a_cycle_cut_off_from_the_start_is_not_reached():
    entries = [Entry(1, 1, 7, None), Entry(2, 1, 7, 3), Entry(3, 1, 7, 2)]
    text = [str(p) for p in chain_problems(entries, history(entries))]
    assert "household 1, proposal 7: consents 2, 3 are not reached from the chain's start" in text
