"""Beyond the papers: the common framework of the four mechanisms (``framework``), larger
networks (``networks``) and optimisation over couplings (``optimize``)."""
