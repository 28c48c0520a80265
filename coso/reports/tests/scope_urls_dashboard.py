SIBLING_NAMES: list = []


def extend_world(world, people):
    pass


OBJECT_URLS: dict = {}
LIST_URLS: dict = {}
EXEMPT: set = set()
