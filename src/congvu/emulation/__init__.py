"""Emulation and commendation (thi đua, khen thưởng): movements, pledges, yearly evaluation,
council votes, award decisions and money, under the 2022 Law and its decrees."""
