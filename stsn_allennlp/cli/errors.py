"""The one error type of the command checks."""

from allennlp.common.checks import ConfigurationError


class CommandError(ConfigurationError):
    """
    A mistake found before the command does any work (an unknown config field, a missing data
    file, an unreachable encoder); the `allennlp` command prints it as one line, without a
    traceback. The message names the file and what to do.
    """
