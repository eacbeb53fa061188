import sys

from debatebot.interfaces.cli.main import main

sys.exit(main())
