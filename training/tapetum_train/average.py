"""Weight averaging of two checkpoints of one lineage (a fine-tune and its starting point, or two
snapshots of one run): the average of nearby minima usually generalizes better than either
(stochastic weight averaging, "model soups")."""


def average_checkpoints(first: dict, second: dict, weight: float = 0.5) -> dict:
    """Checkpoint with weights (1 - weight) * first + weight * second; config and state of `second`,
    steps and seconds summed when `second` was fine-tuned from `first`'s lineage."""
    if first['config']['widths'] != second['config']['widths']:
        raise ValueError('checkpoints of different architectures cannot be averaged')
    model = {k: (1 - weight) * first['model'][k] + weight * second['model'][k] for k in second['model']}
    state = {**second['state'], 'averaged': {'weight_second': weight,
                                             'steps': [first['state']['step'], second['state']['step']]}}
    return {'model': model, 'state': state, 'config': second['config']}


def uniform_soup(checkpoints: list) -> dict:
    """Equal-weight average of several snapshots of one run (config and state of the last one)."""
    soup = checkpoints[0]
    for k, later in enumerate(checkpoints[1:], start=2):
        soup = average_checkpoints(soup, later, 1 / k)
    soup['state'] = {**checkpoints[-1]['state'],
                     'averaged': {'members': len(checkpoints), 'steps': [c['state']['step'] for c in checkpoints]}}
    return soup
